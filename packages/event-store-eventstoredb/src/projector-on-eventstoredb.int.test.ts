// The catch-up projector, unchanged, over the EventStoreDB adapter: events from EventStoreDB, read
// model and checkpoint (an `esdb/…` position as text) in one PostgreSQL transaction. Runs on the
// in-memory stand-in of the client always, and on a real server when one is available.
import { freshSchema, type TestSchema, uniqueName } from '@wor/test-support';
import { Pool } from 'pg';
import type { EventStore } from '@wor/event-store';
import { createProjector, migrateProjector } from '@wor/event-store-postgres';
import { createEventStoreDbEventStore } from './eventstoredb-event-store';
import { createInMemoryClient } from './testing/in-memory-client';
import { eventStoreDbAvailability, eventStoreDbUrl } from './testing/server';

const projectorScenarios = (newStore: () => Promise<EventStore>) => {
  let schema: TestSchema;
  let pool: Pool;
  let store: EventStore;

  beforeEach(async () => {
    schema = await freshSchema('proj_esdb');
    pool = new Pool({ connectionString: schema.databaseUrl, max: 4 });
    await migrateProjector(pool, schema.schema);
    await pool.query(`CREATE TABLE "${schema.schema}".counts (stream_id text PRIMARY KEY, n int NOT NULL)`);
    store = await newStore();
  });

  afterEach(async () => {
    await store.close();
    await pool.end();
    await schema.drop();
  });

  const projector = (fail = false) =>
    createProjector({
      name: 'counts',
      store,
      pool,
      schema: schema.schema,
      batchSize: 3,
      project: async (events, tx) => {
        for (const e of events) {
          await tx.query(
            `INSERT INTO "${schema.schema}".counts VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = counts.n + 1`,
            [e.streamId],
          );
        }
        if (fail) throw new Error('projection failed');
      },
    });

  const counts = async () =>
    Object.fromEntries(
      (await pool.query<{ stream_id: string; n: number }>(`SELECT * FROM "${schema.schema}".counts`)).rows.map((r) => [
        r.stream_id,
        r.n,
      ]),
    );

  it('projects every event once and resumes from the EventStoreDB position it saved', async () => {
    for (let i = 0; i < 8; i++)
      await store.append(`s-${i % 2}`, [{ type: 'Happened', data: { i } }], { expectedVersion: 'any' });
    expect(await projector().runOnce()).toBe(8);
    expect(await projector().runOnce()).toBe(0); // a new instance continues from the stored checkpoint
    const { rows } = await pool.query<{ checkpoint: string }>(
      `SELECT checkpoint FROM "${schema.schema}".projection_checkpoints`,
    );
    expect(rows[0]?.checkpoint).toMatch(/^esdb\/\d+\/\d+$/);

    await store.append('s-0', [{ type: 'Happened', data: { i: 8 } }], { expectedVersion: 'any' });
    await expect(projector(true).runOnce()).rejects.toThrow('projection failed'); // rolled back with its checkpoint
    expect(await projector().runOnce()).toBe(1);
    expect(await counts()).toEqual({ 's-0': 5, 's-1': 4 });
  });
};

describe('projector over the EventStoreDB adapter (in-memory stand-in of the client, real PostgreSQL)', () => {
  projectorScenarios(async () => {
    const fake = createInMemoryClient({ systemEventsEvery: 2 });
    return createEventStoreDbEventStore({ client: fake.client, streamPrefix: 'svc.', pageSize: 2 });
  });
});

const availability = eventStoreDbAvailability();
(availability.available ? describe : describe.skip)(
  availability.available
    ? 'projector over the EventStoreDB adapter (real server, real PostgreSQL)'
    : `projector over the EventStoreDB adapter: SKIPPED, ${availability.reason}`,
  () => {
    beforeAll(() => eventStoreDbUrl(), 300_000);
    projectorScenarios(async () =>
      createEventStoreDbEventStore({ connectionString: await eventStoreDbUrl(), streamPrefix: `${uniqueName('es')}.` }),
    );
  },
);
