import { PassThrough } from 'node:stream';
import { createProgress } from './progress';

const capture = (isTTY: boolean) => {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  Object.assign(stream, { isTTY, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
};

describe('progress of long command-line work', () => {
  it('prints plain lines, at most one per interval plus the last, when not on a terminal', () => {
    let clock = 0;
    const out = capture(false);
    const progress = createProgress({
      label: 'rebuild',
      unit: 'events',
      total: 1000,
      stream: out.stream,
      intervalMs: 1000,
      now: () => clock,
    });
    for (let done = 100; done <= 1000; done += 100) {
      clock += 250;
      progress.update(done);
    }
    progress.finish('rebuilt from 1000 events');
    const lines = out.text().trim().split('\n');
    expect(lines).toEqual([
      'rebuild: 100/1000 events (10.0%), 400 events/s',
      'rebuild: 500/1000 events (50.0%), 400 events/s',
      'rebuild: 900/1000 events (90.0%), 400 events/s',
      'rebuild: 1000/1000 events (100.0%), 400 events/s',
      'rebuilt from 1000 events',
    ]);
    expect(out.text()).not.toContain('\r');
  });

  it('draws a bar on a terminal', () => {
    const out = capture(true);
    const progress = createProgress({ label: 'extract', unit: 'rows', total: 10, stream: out.stream });
    progress.update(5);
    progress.finish('done');
    expect(out.text()).toContain('extract [');
    expect(out.text()).toContain('done\n');
  });
});
