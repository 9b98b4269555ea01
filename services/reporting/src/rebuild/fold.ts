// One batch of a replay: the log's events in a range of positions, each parsed with its zod schema
// again, turned into changes and folded into the statements that apply them. The same function runs
// in a parse worker (replay-worker.ts) or, without workers, on the main thread.
import type { Pool, PoolClient } from 'pg';
import { changeOf, type Change, type Statement, statementsOf } from '../monitoring/projection';
import { parseReportingEvent } from '../received-events/events';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Positions (after, upTo] of the log, folded. */
export type FoldedBatch = Readonly<{ after: number; upTo: number; events: number; statements: Statement[] }>;

/**
 * Folds the log's events at positions after < p ≤ upTo. The caller makes sure upTo is visible, so the
 * range is complete: positions commit in order, none below a visible one can still appear (store.ts).
 */
export const foldRange = async (db: Queryable, log: string, after: number, upTo: number): Promise<FoldedBatch> => {
  const { rows } = await db.query<{ position: string; payload: unknown }>(
    `SELECT position, payload FROM ${log} WHERE position > $1 AND position <= $2 ORDER BY position`,
    [after, upTo],
  );
  const changes: Change[] = [];
  for (const row of rows) {
    const parsed = parseReportingEvent(row.payload);
    if (!parsed.ok) throw new Error(`Event at position ${row.position} no longer parses: ${parsed.reason}`);
    const change = changeOf(parsed.event, Number(row.position));
    if (change) changes.push(change);
  }
  return { after, upTo, events: rows.length, statements: statementsOf(changes) };
};
