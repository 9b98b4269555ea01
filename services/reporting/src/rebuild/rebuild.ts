// Rebuilds every read model from reporting's own log, in one transaction under the log's lock:
// readers see the old state until the new one commits, and no live event slips in between.
import { parseReportingEvent } from '../received-events/events';
import { lastPosition, lockLog, readReceived } from '../received-events/store';
import { applyChanges, type Change, changeOf } from '../monitoring/projection';
import { READ_MODEL_TABLES, truncateReadModels } from '../monitoring/read-models';
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';

export type Progress = Readonly<{ done: number; total: number; elapsedMs: number }>;

/**
 * Drops the read models' secondary indexes (not the keys the upserts need) and returns a function
 * that creates them again from their own definitions, as the catalog has them. Bulk loading the
 * tables without them and indexing once at the end is faster than updating every index per row.
 */
const dropSecondaryIndexes = async (tx: PoolClient): Promise<() => Promise<void>> => {
  const { rows } = await tx.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
        AND NOT i.indisprimary AND NOT i.indisunique`,
    [READ_MODEL_TABLES],
  );
  for (const { name } of rows) await tx.query(`DROP INDEX ${name}`);
  return async () => {
    for (const { definition } of rows) await tx.query(definition);
  };
};

export const rebuildReadModels = async (
  pool: Pool,
  options: { batchSize?: number; onProgress?: (progress: Progress) => void } = {},
): Promise<{ events: number; elapsedMs: number }> => {
  const started = Date.now();
  return withTransaction(pool, async (client) => {
    await lockLog(client);
    await truncateReadModels(client);
    const recreateIndexes = await dropSecondaryIndexes(client);
    const total = (await lastPosition(client)).position;
    let done = 0;
    for await (const batch of readReceived(client, { batchSize: options.batchSize })) {
      const changes: Change[] = [];
      for (const stored of batch) {
        const parsed = parseReportingEvent(stored.payload);
        if (!parsed.ok) throw new Error(`Event at position ${stored.position} no longer parses: ${parsed.reason}`);
        const change = changeOf(parsed.event, stored.position);
        if (change) changes.push(change);
      }
      await applyChanges(changes, client);
      done += batch.length;
      options.onProgress?.({ done, total, elapsedMs: Date.now() - started });
    }
    await recreateIndexes();
    return { events: done, elapsedMs: Date.now() - started };
  });
};
