import { freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import { ConcurrencyConflictError, START, type EventStore } from '@wor/event-store';
import { createPostgresEventStore, migratePostgresEventStore } from '.';

describe('PostgreSQL event store: appendMany (several streams, one statement, all or none)', () => {
  let pool: Pool;
  let store: EventStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshSchemaPool('es_many');
    ({ pool, close } = fresh);
    await migratePostgresEventStore(pool, fresh.schema);
    store = createPostgresEventStore({ pool, schema: fresh.schema });
  });
  afterAll(() => close());

  const types = async (streamId: string) => (await store.readStream(streamId)).events.map((e) => e.type);

  it('appends to a new and an existing stream in one transaction, numbered per stream, in input order', async () => {
    await store.append('old', [{ type: 'A', data: {} }], { expectedVersion: 'no_stream' });
    const results = await store.appendMany!([
      { streamId: 'log-1', events: [{ type: 'Logged', data: { n: 1 } }], expectedVersion: 'no_stream' },
      {
        streamId: 'old',
        events: [
          { type: 'B', data: {} },
          { type: 'C', data: {} },
        ],
        expectedVersion: 0,
      },
      {
        streamId: 'new',
        events: [
          { type: 'X', data: {} },
          { type: 'Y', data: {} },
        ],
        expectedVersion: 'no_stream',
        metadata: { correlationId: 'c-1' },
      },
    ]);
    expect(results).toEqual([{ nextExpectedVersion: 0 }, { nextExpectedVersion: 2 }, { nextExpectedVersion: 1 }]);
    expect(await types('old')).toEqual(['A', 'B', 'C']);
    expect((await store.readStream('new')).events.map((e) => [e.streamVersion, e.metadata.correlationId])).toEqual([
      [0, 'c-1'],
      [1, 'c-1'],
    ]);
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(DISTINCT transaction_id)::text AS n FROM events
        WHERE stream_id IN ('log-1', 'new') OR (stream_id = 'old' AND stream_version > 0)`,
    );
    expect(rows[0]!.n).toBe('1');
    const all = (await store.readAll(START, 100)).events.map((e) => `${e.streamId}:${e.type}`);
    expect(all).toEqual(['old:A', 'log-1:Logged', 'old:B', 'old:C', 'new:X', 'new:Y']);
  });

  it('writes nothing when one expectation fails, and names that stream', async () => {
    await store.append('taken', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream' });
    const conflict = await store.appendMany!([
      { streamId: 'log-2', events: [{ type: 'Logged', data: {} }], expectedVersion: 'no_stream' },
      { streamId: 'taken', events: [{ type: 'U', data: {} }], expectedVersion: 'no_stream' },
    ]).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ConcurrencyConflictError);
    expect(conflict).toMatchObject({ streamId: 'taken', expected: 'no_stream', actual: 0 });
    const stale = await store.appendMany!([
      { streamId: 'log-3', events: [{ type: 'Logged', data: {} }], expectedVersion: 'no_stream' },
      { streamId: 'taken', events: [{ type: 'U', data: {} }], expectedVersion: 5 },
    ]).catch((e: unknown) => e);
    expect(stale).toMatchObject({ streamId: 'taken', expected: 5, actual: 0 });
    expect(await types('log-2')).toEqual([]);
    expect(await types('log-3')).toEqual([]);
    expect(await types('taken')).toEqual(['T']);
    // The failed claims left no stream rows behind either.
    expect((await pool.query(`SELECT 1 FROM streams WHERE stream_id IN ('log-2', 'log-3')`)).rows).toEqual([]);
  });

  it('rejects a stream named twice and a stream without events before touching the database', async () => {
    const e = { type: 'E', data: {} };
    await expect(
      store.appendMany!([
        { streamId: 'd', events: [e], expectedVersion: 'no_stream' },
        { streamId: 'd', events: [e], expectedVersion: 'no_stream' },
      ]),
    ).rejects.toThrow(/at most once/);
    await expect(store.appendMany!([{ streamId: 'z', events: [], expectedVersion: 'no_stream' }])).rejects.toThrow(
      /at least one event/,
    );
  });
});
