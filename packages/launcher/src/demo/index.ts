// Which demo `npm start` loads (WOR_DEMO), once per data directory.
import { loadDemoData } from '../demo-data';
import type { ServiceUrls } from '../services';
import type { DemoClock } from './clock';
import { loadedDemo, loadRichDemo } from './rich';

export { createDemoClock, type DemoClock } from './clock';
export { loadedDemo, loadRichDemo } from './rich';

export type DemoKind = 'rich' | 'minimal' | 'none';

/**
 * Loads the demo asked for unless this data directory holds one already. The rich demo dates its
 * events in the past through the embedded platform's clock; without that clock (one process per
 * service) the minimal demo is loaded instead.
 */
export const loadDemo = async (
  kind: DemoKind,
  urls: ServiceUrls,
  clock: DemoClock | undefined,
  log: (line: string) => void,
): Promise<void> => {
  if (kind === 'none') return;
  const present = await loadedDemo(urls);
  if (present) {
    if (present !== kind)
      log(`Demo: this data directory holds the ${present} demo already (remove .data for another).`);
    return;
  }
  if (kind === 'rich' && clock) {
    log('Loading the demo: a year of Welzijn op Recept in Beterstad (about a minute, once) ...');
    await loadRichDemo(urls, clock);
    log('Demo data loaded.');
    return;
  }
  if (kind === 'rich') log('Demo: the rich demo needs the embedded mode (its clock); loading the minimal demo.');
  await loadDemoData(urls, log);
};
