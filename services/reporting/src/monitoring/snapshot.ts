// One repeatable-read snapshot for every query of an extract, and further connections that share
// it, so the one pass over the facts can run in slices side by side (PostgreSQL does not run
// GROUPING SETS in parallel workers itself).
import { withTransaction } from '@wor/event-store-postgres';
import { Client, type ClientBase, type Pool, type PoolClient } from 'pg';

/** Runs `work` on a connection of its own that sees exactly the snapshot of the extract. */
export type Alongside = <T>(work: (db: ClientBase) => Promise<T>) => Promise<T>;

/**
 * The one pass hashes its grouping sets; the planner cannot know how few groups its derived columns
 * have (it estimates up to a group per referral and set) and would sort the year a dozen times instead,
 * so hashing is allowed that much memory. What the tables really hold is small: vocabularies, days,
 * practices. JIT compilation cost more than it saved (seconds, for one query run once).
 */
const SETTINGS = `SET LOCAL work_mem = '64MB'; SET LOCAL hash_mem_multiplier = 200; SET LOCAL jit = off`;

/**
 * Runs `fn` in one read-only repeatable-read snapshot. `alongside` opens a separate connection (not
 * one of the pool's: waiting for a pooled connection while holding one could starve the pool) that
 * imports the snapshot (`pg_export_snapshot`), so what it reads is what `tx` reads.
 */
export const withSnapshot = <T>(pool: Pool, fn: (tx: PoolClient, alongside: Alongside) => Promise<T>): Promise<T> =>
  withTransaction(
    pool,
    async (tx) => {
      await tx.query(SETTINGS);
      const snapshot = (await tx.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
      const alongside: Alongside = async (work) => {
        const client = new Client(pool.options);
        try {
          await client.connect();
        } catch {
          // No second connection to be had (the server's max_connections, say): the work runs on `tx`
          // after what is queued there, slower but the same figures.
          await client.end().catch(() => undefined);
          return work(tx);
        }
        try {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          await client.query(`SET TRANSACTION SNAPSHOT '${snapshot.replaceAll("'", "''")}'`);
          await client.query(SETTINGS);
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } finally {
          await client.end();
        }
      };
      return fn(tx, alongside);
    },
    { isolation: 'repeatable read' },
  );
