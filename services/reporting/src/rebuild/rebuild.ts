// Rebuilds every read model from reporting's own log into shadow tables while live events keep
// flowing, then swaps them in under the log's lock:
// 1. shadow copies of the read-model tables (keys only) in a schema of their own, `<schema>_rebuild`;
// 2. the log replayed into them batch by batch, each batch its own short transaction (no long-running
//    transaction id, no lock live events wait for); parse workers read, parse and fold the next
//    batches on the other cores while the main thread applies one (parse-workers.ts);
// 3. their secondary indexes built once, then the events that arrived meanwhile replayed;
// 4. under the log's lock: the last few events replayed and the shadow tables moved into place.
// Live events wait only for step 4: at most `tailSize` events and the swap. Readers see the old state
// until the swap commits. One rebuild runs at a time per schema (a session lock).
import { availableParallelism } from 'node:os';
import { lastPosition, lockLog } from '../received-events/store';
import { runStatements } from '../monitoring/projection';
import { READ_MODEL_TABLES } from '../monitoring/read-models';
import type { Pool, PoolClient } from 'pg';
import { type FoldedBatch, foldRange } from './fold';
import { type Folder, startParseWorkers } from './parse-workers';

export type Progress = Readonly<{ done: number; total: number; elapsedMs: number }>;

export type RebuildOptions = {
  batchSize?: number;
  /** Events left to replay under the log's lock at most (the bound on how long live events wait). */
  tailSize?: number;
  onProgress?: (progress: Progress) => void;
  /** Parse workers (threads); 0 folds every batch on the main thread. Default: one per core, at most 2. */
  workers?: number;
};

/** The main thread's folder: the same fold, on a connection of the pool. */
const inProcess = (reader: PoolClient, log: string): Folder => ({
  fold: (after, upTo) => foldRange(reader, log, after, upTo),
  close: async () => undefined,
});

/** The live tables' secondary indexes (not the keys the upserts need), as the catalog defines them. */
const secondaryIndexes = async (db: PoolClient): Promise<{ table: string; definition: string }[]> =>
  (
    await db.query<{ table: string; definition: string }>(
      `SELECT t.relname AS table, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
          AND NOT i.indisprimary AND NOT i.indisunique ORDER BY 1, 2`,
      [READ_MODEL_TABLES],
    )
  ).rows;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** BEGIN … COMMIT on a connection the caller keeps (ROLLBACK when `work` throws). */
const inTransaction = async (db: PoolClient, work: () => Promise<void>): Promise<void> => {
  await db.query('BEGIN');
  try {
    await work();
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
};

export const rebuildReadModels = async (
  pool: Pool,
  options: RebuildOptions = {},
): Promise<{ events: number; elapsedMs: number }> => {
  const started = Date.now();
  const tailSize = options.tailSize ?? 1_000;
  const batchSize = options.batchSize ?? 5_000;
  const workers = options.workers ?? Math.min(2, availableParallelism());
  const session = await pool.connect();
  const schema = (await session.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
  const live = quote(schema);
  const shadow = quote(`${schema}_rebuild`);
  const rebuildLock = `hashtext(current_schema() || '.rebuild')`;
  let reader: PoolClient | undefined;
  let folder: Folder | undefined;
  try {
    const log = `${live}.received_events`;
    if (workers === 0) reader = await pool.connect();
    const batches = (folder = reader ? inProcess(reader, log) : startParseWorkers(pool, log, workers));
    await session.query(`SELECT pg_advisory_lock(${rebuildLock})`);
    // A shadow schema left by a rebuild that stopped half-way is only ever a copy: dropped.
    await session.query(`DROP SCHEMA IF EXISTS ${shadow} CASCADE`);
    await session.query(`CREATE SCHEMA ${shadow}`);
    for (const table of READ_MODEL_TABLES)
      await session.query(
        `CREATE TABLE ${shadow}.${table} (LIKE ${live}.${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)`,
      );
    const keys = await session.query<{ table: string; name: string; definition: string }>(
      `SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1) AND c.contype IN ('p', 'u')`,
      [READ_MODEL_TABLES],
    );
    for (const k of keys.rows)
      await session.query(`ALTER TABLE ${shadow}.${k.table} ADD CONSTRAINT ${quote(k.name)} ${k.definition}`);

    let total = (await lastPosition(session)).position;
    let done = 0;
    let after = 0;
    const apply = async (batch: FoldedBatch) => {
      await session.query(`SET LOCAL search_path TO ${shadow}, ${live}`);
      await runStatements(batch.statements, session);
      done += batch.events;
      after = batch.upTo;
      options.onProgress?.({ done, total: Math.max(total, done), elapsedMs: Date.now() - started });
    };
    /**
     * Replays the log from `after` to `total` (all of it committed: positions commit in order) into
     * the shadow tables; a transaction per batch unless in one. The workers fold the next batches
     * (two each in hand) while the main thread applies one; batches are applied in position order.
     */
    const replay = async (inOne = false) => {
      const upTo = total;
      const folding: Promise<FoldedBatch>[] = [];
      let from = after;
      const ahead = () => {
        for (; from < upTo && folding.length < 2 * Math.max(1, workers); from += batchSize) {
          const batch = batches.fold(from, Math.min(from + batchSize, upTo));
          batch.catch(() => undefined); // awaited (and thrown) in turn below
          folding.push(batch);
        }
      };
      ahead();
      while (folding.length > 0) {
        const batch = await folding.shift()!;
        ahead();
        await (inOne ? apply(batch) : inTransaction(session, () => apply(batch)));
      }
    };
    await replay();
    // Secondary indexes once, on the full tables; then what arrived meanwhile, until little is left.
    for (const { definition } of await secondaryIndexes(session))
      await session.query(
        definition.replace(` ON ${live}.`, ` ON ${shadow}.`).replace(` ON ${schema}.`, ` ON ${shadow}.`),
      );
    while ((total = (await lastPosition(session)).position) - after > tailSize) await replay();

    await inTransaction(session, async () => {
      await lockLog(session);
      total = (await lastPosition(session)).position;
      await replay(true);
      await session.query(`SET LOCAL search_path TO ${live}`);
      for (const table of READ_MODEL_TABLES) {
        await session.query(`DROP TABLE ${live}.${table}`);
        await session.query(`ALTER TABLE ${shadow}.${table} SET SCHEMA ${live}`);
      }
      await session.query(`DROP SCHEMA ${shadow}`);
    });
    return { events: done, elapsedMs: Date.now() - started };
  } catch (error) {
    await session.query(`DROP SCHEMA IF EXISTS ${shadow} CASCADE`).catch(() => undefined);
    throw error;
  } finally {
    await session.query(`SELECT pg_advisory_unlock(${rebuildLock})`).catch(() => undefined);
    await folder?.close();
    reader?.release();
    session.release();
  }
};
