// A parse worker of a rebuild (parse-workers.ts starts it): on a connection of its own it reads the
// ranges of the log it is sent, in the order sent, and answers each with its folded statements.
// zod's parse and the driver's JSON parse run here, on another core than the rebuild's writes.
import { parentPort, workerData } from 'node:worker_threads';
import { Client, type ClientConfig } from 'pg';
import { foldRange } from './fold';

export type Job = { kind: 'fold'; id: number; after: number; upTo: number } | { kind: 'stop' };
export type Answer = { id: number; batch: Awaited<ReturnType<typeof foldRange>> } | { id: number; error: string };

const { connection, log } = workerData as { connection: ClientConfig; log: string };
const port = parentPort!;
const client = new Client(connection);
const ready = client.connect();
ready.catch(() => undefined); // reported with the first job

const handle = async (job: Job): Promise<void> => {
  if (job.kind === 'stop') {
    await client.end().catch(() => undefined);
    port.close();
    return;
  }
  let answer: Answer;
  try {
    await ready;
    answer = { id: job.id, batch: await foldRange(client, log, job.after, job.upTo) };
  } catch (error) {
    answer = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
};

let queue = Promise.resolve();
port.on('message', (job: Job) => {
  queue = queue.then(() => handle(job));
});
