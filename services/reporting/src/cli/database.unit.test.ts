import { progressLine } from '../rebuild/rebuild';
import { flags } from './database';

describe('command-line helpers', () => {
  it('reads --name value pairs and bare switches', () => {
    expect(flags(['--municipality', 'GM0001', '--period', '2026-Q1', '--verbose', '--format', 'csv'])).toEqual({
      municipality: 'GM0001',
      period: '2026-Q1',
      verbose: 'true',
      format: 'csv',
    });
  });

  it('draws a progress bar with the rate', () => {
    expect(progressLine({ done: 250, total: 1000, elapsedMs: 500 }, 10)).toBe(
      '[###-------]  25.0% 250/1000 events, 500 events/s',
    );
    expect(progressLine({ done: 0, total: 0, elapsedMs: 0 }, 4)).toBe('[####] 100.0% 0/0 events, 0 events/s');
  });
});
