// The rebuild's parse workers: each batch of the log is read, parsed and folded on a worker thread
// (replay-worker.ts), so the main thread only sends the folded statements to PostgreSQL. Batches go
// to the workers in turn and come back as promises the caller awaits in position order.
import { once } from 'node:events';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClientConfig, Pool } from 'pg';
import type { FoldedBatch } from './fold';
import type { Answer, Job } from './replay-worker';

export type Folder = Readonly<{
  fold: (after: number, upTo: number) => Promise<FoldedBatch>;
  close: () => Promise<void>;
}>;

/** The pool's settings a worker can be given (a password function, say, cannot cross threads). */
const connectionOf = (pool: Pool): ClientConfig =>
  Object.fromEntries(
    Object.entries(pool.options).filter(([, value]) => {
      try {
        structuredClone(value);
        return value !== undefined;
      } catch {
        return false;
      }
    }),
  ) as ClientConfig;

/** The compiled worker; under jest, whose SWC transform runs the sources, the source through the same. */
const startWorker = (workerData: unknown): Worker =>
  __filename.endsWith('.ts')
    ? new Worker(
        `require(${JSON.stringify(path.join(__dirname, '../testing/swc-register.js'))});
         require(${JSON.stringify(path.join(__dirname, 'replay-worker.ts'))});`,
        { eval: true, workerData },
      )
    : new Worker(path.join(__dirname, 'replay-worker.js'), { workerData });

type Waiting = { resolve: (batch: FoldedBatch) => void; reject: (error: Error) => void };

export const startParseWorkers = (pool: Pool, log: string, count: number): Folder => {
  let nextId = 0;
  const workers = Array.from({ length: count }, () => {
    const waiting = new Map<number, Waiting>();
    let failed: Error | undefined;
    let exited = false;
    const worker = startWorker({ connection: connectionOf(pool), log });
    const fail = (error: Error) => {
      failed ??= error;
      for (const w of waiting.values()) w.reject(failed);
      waiting.clear();
    };
    worker.on('message', (answer: Answer) => {
      const w = waiting.get(answer.id);
      waiting.delete(answer.id);
      if ('error' in answer) w?.reject(new Error(answer.error));
      else w?.resolve(answer.batch);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      exited = true;
      fail(new Error(`rebuild parse worker stopped (exit code ${code})`));
    });
    const fold = (after: number, upTo: number) =>
      new Promise<FoldedBatch>((resolve, reject) => {
        if (failed) return reject(failed);
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ kind: 'fold', id, after, upTo } satisfies Job);
      });
    return { worker, fold, exited: () => exited };
  });
  let turn = 0;
  return {
    fold: (after, upTo) => workers[turn++ % workers.length]!.fold(after, upTo),
    close: async () => {
      await Promise.all(
        workers.map(async ({ worker, exited }) => {
          if (exited()) return;
          const exit = once(worker, 'exit');
          worker.postMessage({ kind: 'stop' } satisfies Job);
          await exit.catch(() => undefined); // an 'error' before the exit is already reported
        }),
      );
    },
  };
};
