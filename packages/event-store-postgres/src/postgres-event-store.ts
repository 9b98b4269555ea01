// PostgreSQL adapter of the event-store port.
//
// Appends are one SQL statement (atomic by itself): it bumps the stream's row in `streams` only when
// the expected version matches, and inserts the events numbered from the bumped version. Writers of
// the same stream thus serialise on that row; a loser sees zero rows and gets ConcurrencyConflictError.
//
// readAll uses the transaction-id snapshot technique (as Marten and Emmett do): events are ordered by
// (transaction_id, global_position) and only events of transactions older than every transaction still
// running are returned. global_position alone is not safe: a transaction can take a lower position and
// commit after one with a higher position, and a reader that already moved past it would skip it forever.
// Trade-off: a long-running writing transaction (in any schema of this cluster) holds readers back until
// it ends, so keep write transactions short.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient, QueryResult } from 'pg';
import {
  type Checkpoint,
  ConcurrencyConflictError,
  type DomainEvent,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type RecordedEvent,
  START,
} from '@wor/event-store';
import { quoteSchema } from './schema';
import { withTransaction } from './transaction';

export type PostgresEventStoreOptions = Readonly<{
  /** Owned by the caller: `close()` does not end it. */
  pool: Pool;
  /** Created by `migratePostgresEventStore`. */
  schema: string;
  /**
   * Test hook: when set, each append runs in an explicit transaction and this is awaited after the
   * events are written and before COMMIT, so tests can hold transactions open and commit out of order.
   */
  beforeCommit?: () => Promise<void>;
}>;

type EventRow = {
  tx: string; // transaction_id and global_position as text: bigint-safe in JS
  pos: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  data: unknown;
  metadata: Record<string, string>;
  recorded_at: Date;
};

type Queryable = Pick<Pool | PoolClient, 'query'>;
type NewEventRow = { eventId: string; type: string; data: unknown; metadata: Record<string, unknown> };
type Attempt = { kind: 'appended'; version: number } | { kind: 'conflict' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHECKPOINT = /^(\d+):(\d+)$/;
const STORED_METADATA = ['correlationId', 'causationId', 'traceparent', 'actor'] as const;
// 'any' re-reads the version and retries on conflict; only pathological contention exhausts this.
const MAX_ANY_ATTEMPTS = 50;

const toCheckpoint = (row: EventRow): Checkpoint => `${row.tx}:${row.pos}`;

const parseCheckpoint = (checkpoint: Checkpoint): [transactionId: string, position: string] => {
  if (checkpoint === START) return ['0', '0'];
  const match = CHECKPOINT.exec(checkpoint);
  if (!match) throw new Error(`Invalid checkpoint: ${JSON.stringify(checkpoint)}`);
  return [match[1] as string, match[2] as string];
};

// Only known keys are stored: metadata must stay free of personal data.
const storedMetadata = (metadata: EventMetadata | undefined): Record<string, unknown> => {
  const stored: Record<string, unknown> = {};
  for (const key of STORED_METADATA) {
    const value = metadata?.[key];
    if (value !== undefined) stored[key] = value;
  }
  const facts = metadata?.streamFacts;
  if (facts) stored.streamFacts = Object.fromEntries(Object.entries(facts).filter(([, v]) => typeof v === 'string'));
  return stored;
};

const toRecorded = <E extends DomainEvent>(row: EventRow): RecordedEvent<E> =>
  ({
    type: row.type,
    data: row.data,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    recordedAt: row.recorded_at,
    metadata: { ...row.metadata, eventId: row.event_id },
    checkpoint: toCheckpoint(row),
  }) as unknown as RecordedEvent<E>;

const isUniqueViolation = (error: unknown, constraint: string): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === '23505' &&
  (error as { constraint?: unknown }).constraint === constraint;

export const createPostgresEventStore = (options: PostgresEventStoreOptions): EventStore => {
  const { pool, beforeCommit } = options;
  const s = quoteSchema(options.schema);
  // Text aliases must not shadow the column names, or ORDER BY would sort the text.
  const columns =
    'transaction_id::text AS tx, global_position::text AS pos, stream_id, stream_version, event_id, type, data, metadata, recorded_at';

  // $1 stream id, $2 events as a JSON array, $3 event count, $4 expected version (exact mode only).
  const claimStream = {
    new: `INSERT INTO ${s}.streams (stream_id, version) VALUES ($1, $3::int - 1)
          ON CONFLICT (stream_id) DO NOTHING RETURNING version`,
    existing: `UPDATE ${s}.streams SET version = version + $3::int
               WHERE stream_id = $1 AND version = $4::int RETURNING version`,
  };
  const appendSql = (claim: string) => `
    WITH stream AS (${claim})
    INSERT INTO ${s}.events (stream_id, stream_version, event_id, type, data, metadata)
    SELECT $1, stream.version - $3::int + e.ord::int, (e.event->>'eventId')::uuid, e.event->>'type',
           e.event->'data', e.event->'metadata'
    FROM stream, jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(event, ord)
    ORDER BY e.ord
    RETURNING stream_version`;
  // Named statements are parsed and planned once per connection, not on every append.
  const statement = (name: string, text: string) => ({ name: `wor-es:${options.schema}:${name}`, text });
  const appendNew = statement('append-new', appendSql(claimStream.new));
  const appendExisting = statement('append-existing', appendSql(claimStream.existing));

  // Several streams in one statement. $1 stream ids, $2 expected versions (-1: new), $3 event counts,
  // $4 events as a JSON array, each with `s`, the 1-based index of its stream, and `i`, its 0-based index
  // in it. A stream whose claim fails has no row in `claimed`, so its events get a NULL stream_version:
  // the NOT NULL constraint then undoes the whole statement, the other streams included.
  const appendManyStatement = statement(
    'append-many',
    `WITH wanted AS (
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) WITH ORDINALITY AS w(stream_id, expected, n, ord)
     ), created AS (
       INSERT INTO ${s}.streams (stream_id, version)
       SELECT stream_id, n - 1 FROM wanted WHERE expected = -1
       ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id, version
     ), bumped AS (
       UPDATE ${s}.streams AS st SET version = st.version + w.n FROM wanted AS w
       WHERE w.expected >= 0 AND st.stream_id = w.stream_id AND st.version = w.expected
       RETURNING st.stream_id, st.version
     ), claimed AS (SELECT * FROM created UNION ALL SELECT * FROM bumped)
     INSERT INTO ${s}.events (stream_id, stream_version, event_id, type, data, metadata)
     SELECT w.stream_id, c.version - w.n + 1 + (e.event->>'i')::int, (e.event->>'eventId')::uuid, e.event->>'type',
            e.event->'data', e.event->'metadata'
     FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS e(event, ord)
     JOIN wanted AS w ON w.ord = (e.event->>'s')::int
     LEFT JOIN claimed AS c ON c.stream_id = w.stream_id
     ORDER BY e.ord
     RETURNING stream_id, stream_version`,
  );

  const currentVersion = async (streamId: string): Promise<number> => {
    const result = await pool.query<{ version: number }>(
      `SELECT coalesce(max(stream_version), -1) AS version FROM ${s}.events WHERE stream_id = $1`,
      [streamId],
    );
    return result.rows[0]?.version ?? -1;
  };

  const inTransaction = <T>(work: (client: PoolClient) => Promise<T>, hook: () => Promise<void>) =>
    withTransaction(pool, async (client) => {
      const result = await work(client);
      await hook();
      return result;
    });

  /** One optimistic attempt; `expected` -1 means the stream must not exist. */
  const tryAppend = async (streamId: string, rows: NewEventRow[], expected: number): Promise<Attempt> => {
    const json = JSON.stringify(rows);
    const run = (db: Queryable): Promise<QueryResult<{ stream_version: number }>> =>
      expected === -1
        ? db.query({ ...appendNew, values: [streamId, json, rows.length] })
        : db.query({ ...appendExisting, values: [streamId, json, rows.length, expected] });
    try {
      const result = beforeCommit ? await inTransaction(run, beforeCommit) : await run(pool);
      if (result.rows.length === 0) return { kind: 'conflict' };
      return { kind: 'appended', version: Math.max(...result.rows.map((r) => r.stream_version)) };
    } catch (error) {
      // Only reachable if a writer bypassed `streams`; still never a silent overwrite nor a raw error.
      if (isUniqueViolation(error, 'events_stream_version_unique')) return { kind: 'conflict' };
      if (isUniqueViolation(error, 'events_event_id_unique')) {
        throw new Error(`Stream ${streamId}: an event with this eventId already exists`, { cause: error });
      }
      throw error;
    }
  };

  const toRows = (events: readonly DomainEvent[], metadata: EventMetadata | undefined): NewEventRow[] => {
    if (metadata?.eventId !== undefined) {
      if (events.length > 1) throw new Error('metadata.eventId can only be given for a single-event append');
      if (!UUID.test(metadata.eventId)) throw new Error('metadata.eventId must be a UUID');
    }
    const stored = storedMetadata(metadata);
    return events.map((event) => ({
      eventId: metadata?.eventId ?? randomUUID(),
      type: event.type,
      data: event.data ?? null,
      metadata: stored,
    }));
  };

  return {
    async append(streamId, events, { expectedVersion, metadata }) {
      if (typeof expectedVersion === 'number' && !(Number.isInteger(expectedVersion) && expectedVersion >= -1)) {
        throw new RangeError(`Invalid expected version: ${expectedVersion}`);
      }
      const conflict = async (expected: ExpectedVersion) =>
        new ConcurrencyConflictError(streamId, expected, await currentVersion(streamId));

      if (events.length === 0) {
        // Nothing to write: only check the expectation.
        const actual = await currentVersion(streamId);
        const expected = expectedVersion === 'no_stream' ? -1 : expectedVersion;
        if (expected !== 'any' && expected !== actual) {
          throw new ConcurrencyConflictError(streamId, expectedVersion, actual);
        }
        return { nextExpectedVersion: actual };
      }
      const rows = toRows(events, metadata);

      if (expectedVersion === 'any') {
        // Appending as 'expected = what we just read' (retrying on conflict) rather than with an
        // unconditional upsert keeps transaction ids increasing along each stream, so readAll
        // returns every stream's events in stream order.
        for (let attempt = 0; attempt < MAX_ANY_ATTEMPTS; attempt++) {
          const result = await tryAppend(streamId, rows, await currentVersion(streamId));
          if (result.kind === 'appended') return { nextExpectedVersion: result.version };
        }
        throw await conflict('any');
      }

      const result = await tryAppend(streamId, rows, expectedVersion === 'no_stream' ? -1 : expectedVersion);
      if (result.kind === 'conflict') throw await conflict(expectedVersion);
      return { nextExpectedVersion: result.version };
    },

    async appendMany(appends) {
      if (new Set(appends.map((a) => a.streamId)).size !== appends.length)
        throw new Error('appendMany: each stream at most once');
      for (const { expectedVersion, events } of appends) {
        if (typeof expectedVersion === 'number' && !(Number.isInteger(expectedVersion) && expectedVersion >= 0))
          throw new RangeError(`Invalid expected version: ${expectedVersion}`);
        if (events.length === 0) throw new Error('appendMany: every stream needs at least one event');
      }
      const expected = appends.map((a) => (a.expectedVersion === 'no_stream' ? -1 : a.expectedVersion));
      const events = appends.flatMap((a, s) => toRows(a.events, a.metadata).map((row, i) => ({ ...row, s: s + 1, i })));
      const run = (db: Queryable) =>
        db.query<{ stream_id: string; stream_version: number }>({
          ...appendManyStatement,
          values: [
            appends.map((a) => a.streamId),
            expected,
            appends.map((a) => a.events.length),
            JSON.stringify(events),
          ],
        });
      try {
        const result = beforeCommit ? await inTransaction(run, beforeCommit) : await run(pool);
        const versions = new Map<string, number>();
        for (const row of result.rows)
          versions.set(row.stream_id, Math.max(row.stream_version, versions.get(row.stream_id) ?? -1));
        return appends.map((a) => ({ nextExpectedVersion: versions.get(a.streamId)! }));
      } catch (error) {
        const failed =
          (error as { code?: unknown; column?: unknown }).code === '23502' &&
          (error as { column?: unknown }).column === 'stream_version';
        if (!failed && !isUniqueViolation(error, 'events_stream_version_unique')) throw error;
        // Which expectation failed: the first stream whose version is not the expected one.
        for (const [index, a] of appends.entries()) {
          const actual = await currentVersion(a.streamId);
          if (actual !== expected[index]) throw new ConcurrencyConflictError(a.streamId, a.expectedVersion, actual);
        }
        throw new ConcurrencyConflictError(appends[0]!.streamId, appends[0]!.expectedVersion, expected[0]!);
      }
    },

    async readStream<E extends DomainEvent>(streamId: string) {
      const result = await pool.query<EventRow>(
        `SELECT ${columns} FROM ${s}.events WHERE stream_id = $1 ORDER BY stream_version`,
        [streamId],
      );
      const events = result.rows.map((row) => toRecorded<E>(row));
      return { events, currentVersion: events.at(-1)?.streamVersion ?? -1 };
    },

    // Transactions in flight when this is called may still commit events with earlier ids; once the
    // oldest running transaction is newer than all of them, readAll can see everything committed before.
    async visibilityBarrier() {
      const { rows } = await pool.query<{ xmax: string }>(
        'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax',
      );
      const xmax = rows[0]?.xmax ?? '0';
      return async () =>
        (
          await pool.query<{ passed: boolean }>(
            'SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS passed',
            [xmax],
          )
        ).rows[0]?.passed === true;
    },

    async readAll(from, limit) {
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Invalid limit: ${limit}`);
      const [transactionId, position] = parseCheckpoint(from);
      // A single autocommit statement: its snapshot's xmin is the oldest transaction still running,
      // so everything below it is final (committed or rolled back) and nothing can appear there later.
      const result = await pool.query<EventRow>(
        `SELECT ${columns} FROM ${s}.events
         WHERE transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
           AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
         ORDER BY transaction_id, global_position
         LIMIT $3`,
        [transactionId, position, limit],
      );
      const events = result.rows.map((row) => toRecorded(row));
      return { events, checkpoint: events.at(-1)?.checkpoint ?? from };
    },

    // The pool belongs to the caller, who ends it.
    async close() {},
  };
};
