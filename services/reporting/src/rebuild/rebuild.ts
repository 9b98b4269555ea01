// Rebuilds every read model from reporting's own log, in one transaction under the log's lock:
// readers see the old state until the new one commits, and no live event slips in between.
import { parseReportingEvent } from '../received-events/events';
import { lastPosition, lockLog, readReceived } from '../received-events/store';
import { applyChanges, type Change, changeOf } from '../monitoring/projection';
import { truncateReadModels } from '../monitoring/read-models';
import type { Pool } from 'pg';

export type Progress = Readonly<{ done: number; total: number; elapsedMs: number }>;

export const rebuildReadModels = async (
  pool: Pool,
  options: { batchSize?: number; onProgress?: (progress: Progress) => void } = {},
): Promise<{ events: number; elapsedMs: number }> => {
  const started = Date.now();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await lockLog(client);
    await truncateReadModels(client);
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
    await client.query('COMMIT');
    return { events: done, elapsedMs: Date.now() - started };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};
