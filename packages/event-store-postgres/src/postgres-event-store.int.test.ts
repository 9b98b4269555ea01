import { freshSchema, uniqueName, databaseUrl, eventStoreContract, type ContractSetupOptions } from '@wor/test-support';
import { Pool } from 'pg';
import { ConcurrencyConflictError, START, type EventStore } from '@wor/event-store';
import { createPostgresEventStore, migratePostgresEventStore } from '.';

const setup = async (options: ContractSetupOptions = {}) => {
  const { schema, databaseUrl: url, drop } = await freshSchema('es');
  const pool = new Pool({ connectionString: url, max: 20 });
  await migratePostgresEventStore(pool, schema);
  const store = createPostgresEventStore({ pool, schema, ...options });
  return {
    store,
    pool,
    schema,
    teardown: async () => {
      await pool.end();
      await drop();
    },
  };
};

eventStoreContract('postgres', setup);

describe('PostgreSQL event store specifics', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => (ctx = await setup()));
  afterEach(() => ctx.teardown());

  it('migrates idempotently, also when run concurrently, creating the schema if needed', async () => {
    const schema = uniqueName('es_migrate');
    const pool = new Pool({ connectionString: await databaseUrl(), max: 5 });
    try {
      await Promise.all([1, 2, 3].map(() => migratePostgresEventStore(pool, schema)));
      await migratePostgresEventStore(pool, schema);
      const store = createPostgresEventStore({ pool, schema });
      await store.append('s', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream' });
      await migratePostgresEventStore(pool, schema);
      expect((await store.readStream('s')).currentVersion).toBe(0);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  });

  it.each(['Public', 'a-b', 'x"; DROP TABLE y; --', '1abc', '', 'a b'])('rejects schema name %j', async (bad) => {
    expect(() => createPostgresEventStore({ pool: ctx.pool, schema: bad })).toThrow(/Invalid schema name/);
    await expect(migratePostgresEventStore(ctx.pool, bad)).rejects.toThrow(/Invalid schema name/);
  });

  it('turns a unique violation from a writer that bypassed the stream row into a conflict', async () => {
    await ctx.pool.query(
      `INSERT INTO "${ctx.schema}".events (stream_id, stream_version, event_id, type, data)
       VALUES ('raced', 0, gen_random_uuid(), 'Other', '{}')`,
    );
    const error = await ctx.store
      .append('raced', [{ type: 'Mine', data: {} }], { expectedVersion: 'no_stream' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect(error).toMatchObject({ streamId: 'raced', expected: 'no_stream', actual: 0 });
    expect((await ctx.store.readStream('raced')).events.map((e) => e.type)).toEqual(['Other']);
  });

  it('out-of-order commit: the earlier position is held back, then both arrive in transaction order', async () => {
    let releaseA = () => undefined as void;
    let enteredA = () => undefined as void;
    const aWaiting = new Promise<void>((resolve) => (enteredA = resolve));
    const aReleased = new Promise<void>((resolve) => (releaseA = resolve));
    const holding = createPostgresEventStore({
      pool: ctx.pool,
      schema: ctx.schema,
      beforeCommit: async () => {
        enteredA();
        await aReleased;
      },
    });
    const pA = holding.append('a', [{ type: 'A', data: {} }], { expectedVersion: 'no_stream' });
    try {
      await aWaiting;
      await ctx.store.append('b', [{ type: 'B', data: {} }], { expectedVersion: 'no_stream' });
      // B is committed with a higher global_position, yet the reader gets nothing while A is open.
      expect((await ctx.store.readAll(START, 10)).events).toEqual([]);
    } finally {
      releaseA(); // also on failure: an open transaction would block teardown
    }
    await pA;

    const all = await readUntil(ctx.store, 2);
    expect(all.map((e) => e.type)).toEqual(['A', 'B']);
    const position = (checkpoint: string) => BigInt(checkpoint.split(':')[1] as string);
    expect(position(all[0]!.checkpoint)).toBeLessThan(position(all[1]!.checkpoint));
  });

  it('a long-running transaction elsewhere holds readers back until it ends (documented trade-off)', async () => {
    const other = await ctx.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()'); // takes a transaction id, like any writer
      await ctx.store.append('s', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream' });
      expect((await ctx.store.readAll(START, 10)).events).toEqual([]);
    } finally {
      await other.query('COMMIT');
      other.release();
    }
    expect((await readUntil(ctx.store, 1)).map((e) => e.type)).toEqual(['T']);
  });

  it('rolls the append back when the transaction fails before commit', async () => {
    const failing = createPostgresEventStore({
      pool: ctx.pool,
      schema: ctx.schema,
      beforeCommit: () => Promise.reject(new Error('boom')),
    });
    await expect(failing.append('s', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream' })).rejects.toThrow(
      'boom',
    );
    expect(await ctx.store.readStream('s')).toEqual({ events: [], currentVersion: -1 });
    await ctx.store.append('s', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream' });
  });

  it('stores only the known metadata keys', async () => {
    const metadata = { correlationId: 'c', name: 'Jan Jansen' } as never;
    await ctx.store.append('s', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream', metadata });
    const { rows } = await ctx.pool.query(`SELECT metadata FROM "${ctx.schema}".events`);
    expect(rows).toEqual([{ metadata: { correlationId: 'c' } }]);
  });

  it('rejects invalid input before touching the database', async () => {
    const event = { type: 'T', data: {} };
    await expect(ctx.store.readAll('garbage', 10)).rejects.toThrow(/Invalid checkpoint/);
    await expect(ctx.store.readAll(START, 0)).rejects.toThrow(RangeError);
    await expect(ctx.store.append('s', [event], { expectedVersion: -2 })).rejects.toThrow(RangeError);
    await expect(ctx.store.append('s', [event], { expectedVersion: 1.5 })).rejects.toThrow(RangeError);
    await expect(
      ctx.store.append('s', [event, event], {
        expectedVersion: 'any',
        metadata: { eventId: '5b7e3f0e-2c4a-4d7e-9a51-0c6f1d2b3a4e' },
      }),
    ).rejects.toThrow(/single-event/);
    await expect(
      ctx.store.append('s', [event], { expectedVersion: 'any', metadata: { eventId: 'nope' } }),
    ).rejects.toThrow(/UUID/);
  });

  it('reports a duplicate eventId clearly and writes nothing', async () => {
    const metadata = { eventId: '5b7e3f0e-2c4a-4d7e-9a51-0c6f1d2b3a4e' };
    await ctx.store.append('s', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream', metadata });
    await expect(
      ctx.store.append('t', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream', metadata }),
    ).rejects.toThrow(/eventId already exists/);
    expect((await ctx.store.readStream('t')).currentVersion).toBe(-1);
  });

  it('an empty append only checks the expected version', async () => {
    expect(await ctx.store.append('s', [], { expectedVersion: 'no_stream' })).toEqual({ nextExpectedVersion: -1 });
    await ctx.store.append('s', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream' });
    expect(await ctx.store.append('s', [], { expectedVersion: 0 })).toEqual({ nextExpectedVersion: 0 });
    expect(await ctx.store.append('s', [], { expectedVersion: 'any' })).toEqual({ nextExpectedVersion: 0 });
    await expect(ctx.store.append('s', [], { expectedVersion: 3 })).rejects.toBeInstanceOf(ConcurrencyConflictError);
  });
});

/** Reads from START until `count` events arrived (other sessions' transactions may delay them). */
const readUntil = async (store: EventStore, count: number) => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { events } = await store.readAll(START, 100);
    if (events.length >= count) return events;
    if (Date.now() > deadline) throw new Error(`only ${events.length} of ${count} events readable`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
