// A catch-up projection of a service's own events into its read model. The projection's writes and
// its checkpoint commit in one transaction, so each event takes effect exactly once, even after a crash.
import type { Pool, PoolClient } from 'pg';
import { START, type EventStore, type RecordedEvent, waitUntilReadable } from '@wor/event-store';
import { withTransaction } from './transaction';

export type ProjectorOptions = Readonly<{
  name: string;
  store: EventStore;
  pool: Pool;
  /** Schema holding `projection_checkpoints`; see `migrateProjector`. */
  schema: string;
  project: (events: readonly RecordedEvent[], tx: PoolClient) => Promise<void>;
  batchSize?: number;
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}>;

export type Projector = Readonly<{
  start(): void;
  stop(): Promise<void>;
  /** Projects what is readable now; returns how many events were projected. */
  runOnce(): Promise<number>;
  /**
   * Resolves once everything committed before the call is projected (read-your-writes for APIs). With a
   * store that offers `visibilityBarrier` it waits up to 2 s for transactions in flight elsewhere.
   */
  catchUp(): Promise<void>;
}>;

/** Projector positions; part of every service's migration 1 (see eventStoreTables). */
export const projectorTables = (prefix = ''): string => `
  CREATE TABLE IF NOT EXISTS ${prefix}projection_checkpoints (
    name text PRIMARY KEY, checkpoint text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());`;

export const migrateProjector = async (pool: Pool, schema: string): Promise<void> => {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"; ${projectorTables(`"${schema}".`)}`);
};

/** How long catchUp waits for transactions in flight elsewhere before it projects what it can. */
const CATCH_UP_WAIT_MS = 2_000;

export const createProjector = (options: ProjectorOptions): Projector => {
  const { name, store, pool, schema, project, batchSize = 200, pollIntervalMs = 100 } = options;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  // One batch at a time, whether from the loop or from catchUp.
  let queue: Promise<unknown> = Promise.resolve();

  const ensureRow = (db: Pick<Pool, 'query'>) =>
    db.query(
      `INSERT INTO "${schema}".projection_checkpoints (name, checkpoint) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
      [name, START],
    );
  const lockRow = (client: PoolClient) =>
    client.query<{ checkpoint: string }>(
      `SELECT checkpoint FROM "${schema}".projection_checkpoints WHERE name = $1 FOR UPDATE`,
      [name],
    );
  const readCheckpoint = async (): Promise<string> =>
    (
      await pool.query<{ checkpoint: string }>(
        `SELECT checkpoint FROM "${schema}".projection_checkpoints WHERE name = $1`,
        [name],
      )
    ).rows[0]?.checkpoint ?? START;
  // The checkpoint this instance last committed or read under the lock. A poll reads from it before
  // it takes the lock, so a poll that finds nothing costs one statement and no transaction; what it
  // read is used only if the locked checkpoint is still this one (no other instance moved it).
  let known: string | undefined;

  const projectBatch = (): Promise<number> => {
    const next = queue.then(async () => {
      // Read before taking the connection for the lock, also when the checkpoint is not known (the first run,
      // or after an error): a run that held one connection while waiting for another could, with every
      // projector of the service doing so after a database outage, drain the pool and wait forever.
      const start = known ?? (await readCheckpoint());
      const peeked = await store.readAll(start, batchSize);
      if (known !== undefined && peeked.events.length === 0) return 0;
      try {
        const done = await withTransaction(pool, async (client) => {
          // The row lock keeps two instances of one projection from projecting the same batch.
          let current = await lockRow(client);
          if (current.rows.length === 0) {
            await ensureRow(client);
            current = await lockRow(client);
          }
          const from = current.rows[0]?.checkpoint ?? START;
          // Another instance moved the checkpoint meanwhile (rare): read again from where it is now.
          const { events, checkpoint } = from === start ? peeked : await store.readAll(from, batchSize);
          if (events.length > 0) {
            await project(events, client);
            await client.query(
              `UPDATE "${schema}".projection_checkpoints SET checkpoint = $2, updated_at = now() WHERE name = $1`,
              [name, checkpoint],
            );
          }
          return { checkpoint, projected: events.length };
        });
        known = done.checkpoint;
        return done.projected;
      } catch (error) {
        known = undefined;
        throw error;
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  // A batch shorter than batchSize read everything readable when it read: no trailing empty batch.
  const runOnce = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = await projectBatch();
      total += n;
      if (n < batchSize) return total;
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  return {
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        let backoff = pollIntervalMs;
        while (running) {
          try {
            await runOnce();
            backoff = pollIntervalMs;
          } catch (error) {
            options.onError?.(error);
            backoff = Math.min(backoff * 2, 5_000);
          }
          if (running) await sleep(backoff);
        }
      })();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    runOnce,
    async catchUp() {
      // Read-your-writes: wait (briefly) until everything committed before the call is readable.
      await waitUntilReadable(store, CATCH_UP_WAIT_MS);
      await runOnce();
    },
  };
};
