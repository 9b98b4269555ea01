import { freshSchema, type TestSchema } from '@wor/test-support';
import { Client, Pool } from 'pg';
import { createPostgresEventStore, migratePostgresEventStore } from '.';
import type { EventStore } from '@wor/event-store';
import { createProjector, migrateProjector } from './projector';
import { waitUntilReadable } from '@wor/event-store';

describe('projector (real PostgreSQL)', () => {
  let schema: TestSchema;
  let pool: Pool;

  beforeEach(async () => {
    schema = await freshSchema('proj');
    pool = new Pool({ connectionString: schema.databaseUrl, max: 4 });
    await migratePostgresEventStore(pool, schema.schema);
    await migrateProjector(pool, schema.schema);
    await pool.query(`CREATE TABLE "${schema.schema}".counts (stream_id text PRIMARY KEY, n int NOT NULL)`);
  });

  afterEach(async () => {
    await pool.end();
    await schema.drop();
  });

  const projectorFor = (project?: () => void) =>
    createProjector({
      name: 'counts',
      store: createPostgresEventStore({ pool, schema: schema.schema }),
      pool,
      schema: schema.schema,
      batchSize: 7,
      project: async (events, tx) => {
        project?.();
        for (const e of events)
          await tx.query(
            `INSERT INTO "${schema.schema}".counts VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = counts.n + 1`,
            [e.streamId],
          );
      },
    });

  /** Waits until what was committed is readable (other transactions on the server may hold it back). */
  const readable = (store: EventStore) => waitUntilReadable(store, 30_000);

  const counts = async () =>
    Object.fromEntries(
      (await pool.query<{ stream_id: string; n: number }>(`SELECT * FROM "${schema.schema}".counts`)).rows.map((r) => [
        r.stream_id,
        r.n,
      ]),
    );

  it('projects every event once, in batches, and resumes from its checkpoint', async () => {
    const store = createPostgresEventStore({ pool, schema: schema.schema });
    for (let i = 0; i < 20; i++)
      await store.append(`s-${i % 2}`, [{ type: 'Happened', data: { i } }], { expectedVersion: 'any' });
    await readable(store);
    expect(await projectorFor().runOnce()).toBe(20);
    expect(await projectorFor().runOnce()).toBe(0); // a new instance continues from the stored checkpoint
    await store.append('s-0', [{ type: 'Happened', data: { i: 20 } }], { expectedVersion: 'any' });
    await projectorFor().catchUp();
    expect(await counts()).toEqual({ 's-0': 11, 's-1': 10 });
  });

  it('catchUp reads back a write that an older transaction elsewhere still holds back', async () => {
    const store = createPostgresEventStore({ pool, schema: schema.schema });
    // An older transaction with an id, still running: readers cannot see newer commits past it yet.
    const blocker = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT pg_current_xact_id()');
    await store.append('s-9', [{ type: 'Happened', data: { i: 0 } }], { expectedVersion: 'no_stream' });
    expect(await projectorFor().runOnce()).toBe(0);
    const released = new Promise<void>((resolve) =>
      setTimeout(() => void blocker.query('COMMIT').then(() => (blocker.release(), resolve())), 200),
    );
    await projectorFor().catchUp();
    expect((await counts())['s-9']).toBe(1);
    await released;
  });

  it('a failing batch changes neither the read model nor the checkpoint', async () => {
    const store = createPostgresEventStore({ pool, schema: schema.schema });
    for (let i = 0; i < 5; i++)
      await store.append('s', [{ type: 'Happened', data: { i } }], { expectedVersion: 'any' });
    await readable(store);
    let calls = 0;
    const flaky = projectorFor(() => {
      if (calls++ === 0) throw new Error('read model unavailable');
    });
    await expect(flaky.runOnce()).rejects.toThrow('read model unavailable');
    expect(await counts()).toEqual({});
    expect(await flaky.runOnce()).toBe(5);
    expect(await counts()).toEqual({ s: 5 });
  });

  it('two instances of one projection never project an event twice', async () => {
    const store = createPostgresEventStore({ pool, schema: schema.schema });
    for (let i = 0; i < 50; i++)
      await store.append(`s-${i % 5}`, [{ type: 'Happened', data: { i } }], { expectedVersion: 'any' });
    await readable(store);
    await Promise.all([projectorFor().runOnce(), projectorFor().runOnce()]);
    expect(Object.values(await counts()).reduce((a, b) => a + b, 0)).toBe(50);
  });

  /** The SQL texts the pool's connections send while `work` runs. */
  const statementsDuring = async (work: () => Promise<unknown>): Promise<string[]> => {
    const texts: string[] = [];
    const query = Client.prototype.query;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string };
      texts.push(typeof config === 'string' ? config : (config.text ?? ''));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    try {
      await work();
    } finally {
      spy.mockRestore();
    }
    return texts;
  };

  it('a poll that finds nothing costs one statement and no transaction', async () => {
    const store = createPostgresEventStore({ pool, schema: schema.schema });
    await store.append('s', [{ type: 'Happened', data: {} }], { expectedVersion: 'no_stream' });
    await readable(store);
    const projector = projectorFor();
    expect(await projector.runOnce()).toBe(1);
    const texts = await statementsDuring(() => projector.runOnce());
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/FROM .*events/);
  });

  it('a batch shorter than the batch size ends the run: one transaction, no trailing empty batch', async () => {
    const store = createPostgresEventStore({ pool, schema: schema.schema });
    for (let i = 0; i < 3; i++)
      await store.append('s', [{ type: 'Happened', data: { i } }], { expectedVersion: 'any' });
    await readable(store);
    const texts = await statementsDuring(async () => expect(await projectorFor().runOnce()).toBe(3));
    expect(texts.filter((t) => t === 'BEGIN')).toHaveLength(1);
  });

  it('an instance whose checkpoint another instance moved reads again under the lock', async () => {
    const store = createPostgresEventStore({ pool, schema: schema.schema });
    const append = (i: number) => store.append('s', [{ type: 'Happened', data: { i } }], { expectedVersion: 'any' });
    const first = projectorFor();
    const second = projectorFor();
    await append(0);
    await readable(store);
    expect(await first.runOnce()).toBe(1);
    await append(1);
    await readable(store);
    expect(await second.runOnce()).toBe(1); // moves the checkpoint past what `first` knows
    await append(2);
    await readable(store);
    expect(await first.runOnce()).toBe(1);
    expect(await counts()).toEqual({ s: 3 });
  });
});
