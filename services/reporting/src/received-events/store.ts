// reporting's durable copy of every event it consumed: an append-only log whose position is its
// own sequence. Written in the same transaction as the read models, so the log and the read models
// never disagree; a rebuild replays it, and an extract names the position it reflects.
//
// Positions are taken under a transaction-scoped advisory lock, so they commit in order and without
// gaps: once position P is visible, no event with a lower position can still appear. That is what
// makes "as of position P" a stable, reproducible state.
import type { Pool, PoolClient } from 'pg';
import type { ReportingEvent } from './events';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Serialises writers of the log (and a rebuild) within this schema. */
export const lockLog = async (tx: PoolClient): Promise<void> => {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.received_events'))`);
};

/**
 * Appends an event at the next position; `tx` must be inside a transaction. Returns the position,
 * or undefined when the event id is already in the log (a duplicate delivery).
 * `received_at` never goes backwards, so it can serve as the time of a position. The pseudonymous
 * subject id is dropped: reporting never relates facts to a person (data minimisation).
 */
export const appendReceived = async (tx: PoolClient, event: ReportingEvent): Promise<number | undefined> => {
  await lockLog(tx);
  const { rows } = await tx.query<{ position: string }>(
    `WITH last AS (SELECT position, received_at FROM received_events ORDER BY position DESC LIMIT 1)
     INSERT INTO received_events (position, event_id, type, producer, occurred_at, received_at, payload)
     SELECT COALESCE((SELECT position FROM last), 0) + 1, $1, $2, $3, $4,
            GREATEST(clock_timestamp(), (SELECT received_at FROM last)), $5
     ON CONFLICT (event_id) DO NOTHING
     RETURNING position`,
    [event.eventId, event.type, event.producer, event.occurredAt, JSON.stringify({ ...event, subjectId: null })],
  );
  return rows[0] ? Number(rows[0].position) : undefined;
};

export type LogPosition = Readonly<{ position: number; receivedAt: string }>;

/** The last position in the log (0 and the epoch when empty). */
export const lastPosition = async (db: Queryable): Promise<LogPosition> => {
  const { rows } = await db.query<{ position: string; received_at: Date }>(
    `SELECT position, received_at FROM received_events ORDER BY position DESC LIMIT 1`,
  );
  const row = rows[0];
  return row
    ? { position: Number(row.position), receivedAt: row.received_at.toISOString() }
    : { position: 0, receivedAt: new Date(0).toISOString() };
};

/** The given position, if the log has reached it. */
export const positionAt = async (db: Queryable, position: number): Promise<LogPosition | undefined> => {
  const { rows } = await db.query<{ received_at: Date }>(
    `SELECT received_at FROM received_events WHERE position = $1`,
    [position],
  );
  const row = rows[0];
  return row ? { position, receivedAt: row.received_at.toISOString() } : undefined;
};

export type StoredEvent = Readonly<{ position: number; payload: unknown }>;

/** Reads the log in position order, a batch at a time (keyset pagination, no open cursor). */
export async function* readReceived(
  db: Queryable,
  options: { after?: number; batchSize?: number } = {},
): AsyncGenerator<StoredEvent[]> {
  const batchSize = options.batchSize ?? 5_000;
  let after = options.after ?? 0;
  for (;;) {
    const { rows } = await db.query<{ position: string; payload: unknown }>(
      `SELECT position, payload FROM received_events WHERE position > $1 ORDER BY position LIMIT $2`,
      [after, batchSize],
    );
    if (rows.length === 0) return;
    const batch = rows.map((r) => ({ position: Number(r.position), payload: r.payload }));
    after = batch[batch.length - 1]!.position;
    yield batch;
    if (rows.length < batchSize) return;
  }
}
