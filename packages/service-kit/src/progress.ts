// Progress of long command-line work (extracts, rebuilds, imports, redrives, key rotation): a bar on
// a terminal (cli-progress), plain lines otherwise (CI logs, pipes), so a log is never full of \r.
import { SingleBar } from 'cli-progress';

export type Progress = Readonly<{
  /** `done` of `total` units; the total may become known or change as the work goes on. */
  update: (done: number, total?: number) => void;
  /** Ends the bar or prints the last line, then the summary when given. */
  finish: (summary?: string) => void;
}>;

export type ProgressOptions = Readonly<{
  label: string;
  unit: string;
  total?: number;
  stream?: NodeJS.WriteStream;
  /** Plain lines: at most one per interval (default 2 s), plus the last. */
  intervalMs?: number;
  now?: () => number;
}>;

const rate = (done: number, elapsedMs: number): number => (elapsedMs > 0 ? Math.round((done / elapsedMs) * 1000) : 0);

/** One plain progress line, e.g. `rebuild: 250/1000 events (25.0%), 500 events/s`. */
export const progressText = (label: string, unit: string, done: number, total: number | undefined, elapsedMs: number) =>
  `${label}: ${done}${total ? `/${total}` : ''} ${unit}${total ? ` (${((done / total) * 100).toFixed(1)}%)` : ''}, ${rate(done, elapsedMs)} ${unit}/s`;

export const createProgress = (options: ProgressOptions): Progress => {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
  let done = 0;
  let total = options.total;

  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: `${options.label} [{bar}] {percentage}% {value}/{total} ${options.unit}, {rate} ${options.unit}/s, eta {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
    });
    bar.start(total ?? 0, 0, { rate: 0 });
    return {
      update: (value, newTotal) => {
        done = value;
        if (newTotal !== undefined && newTotal !== total) bar.setTotal((total = newTotal));
        bar.update(value, { rate: rate(value, now() - started) });
      },
      finish: (summary) => {
        bar.stop();
        if (summary) stream.write(`${summary}\n`);
      },
    };
  }

  const intervalMs = options.intervalMs ?? 2000;
  let printedAt = -Infinity;
  const print = () => {
    printedAt = now();
    stream.write(`${progressText(options.label, options.unit, done, total, printedAt - started)}\n`);
  };
  return {
    update: (value, newTotal) => {
      done = value;
      if (newTotal !== undefined) total = newTotal;
      if (now() - printedAt >= intervalMs) print();
    },
    finish: (summary) => {
      print();
      if (summary) stream.write(`${summary}\n`);
    },
  };
};
