import { freshSchema } from '@wor/test-support';
import { Pool } from 'pg';
import {
  type Decider,
  handleCommand,
  ConcurrencyConflictError,
  type DomainEvent,
  type EventStore,
} from '@wor/event-store';
import { createPostgresEventStore, migratePostgresEventStore } from '.';

type Event = DomainEvent<'SeatTaken', { seat: number }>;
type Command = { seat: number };
const seats: Decider<Command, Event, Set<number>> = {
  initialState: () => new Set(),
  evolve: (taken, event) => new Set([...taken, event.data.seat]),
  decide: (command, taken) => {
    if (taken.has(command.seat)) throw new Error('seat taken');
    return [{ type: 'SeatTaken', data: { seat: command.seat } }];
  },
};

describe('handleCommand on PostgreSQL', () => {
  let pool: Pool;
  let store: EventStore;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    const schema = await freshSchema('es_cmd');
    drop = schema.drop;
    pool = new Pool({ connectionString: schema.databaseUrl, max: 10 });
    await migratePostgresEventStore(pool, schema.schema);
    store = createPostgresEventStore({ pool, schema: schema.schema });
  });
  afterEach(async () => {
    await pool.end();
    await drop();
  });

  it('runs commands against the stream and stores the decided events with metadata', async () => {
    const first = await handleCommand(store, 'show-1', seats, { seat: 1 }, { metadata: { correlationId: 'c1' } });
    expect(first.nextExpectedVersion).toBe(0);
    const second = await handleCommand(store, 'show-1', seats, { seat: 2 });
    expect([...second.newState]).toEqual([1, 2]);
    expect(second.nextExpectedVersion).toBe(1);
    await expect(handleCommand(store, 'show-1', seats, { seat: 2 })).rejects.toThrow('seat taken');

    const { events } = await store.readStream<Event>('show-1');
    expect(events.map((e) => e.data.seat)).toEqual([1, 2]);
    expect(events[0]?.metadata).toMatchObject({ correlationId: 'c1' });
  });

  it('with an expected version, lets only one of several concurrent commands on a stream win', async () => {
    await handleCommand(store, 'show-2', seats, { seat: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        handleCommand(store, 'show-2', seats, { seat: 10 + i }, { expectedVersion: 0 }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const r of lost) expect(r.reason).toBeInstanceOf(ConcurrencyConflictError);
    expect((await store.readStream('show-2')).currentVersion).toBe(1);
  });

  it('without one, decides a command that lost the race again on fresh state', async () => {
    // Three writers, three retries: every command lands, each decided on the seats taken before it.
    const results = await Promise.all(
      Array.from({ length: 3 }, (_, i) => handleCommand(store, 'show-3', seats, { seat: 20 + i })),
    );
    expect(results.map((r) => r.nextExpectedVersion).sort()).toEqual([0, 1, 2]);
    const { events } = await store.readStream<Event>('show-3');
    expect(events.map((e) => e.data.seat).sort()).toEqual([20, 21, 22]);
    // Fresh state also means fresh refusals: a seat taken meanwhile is refused, not double-booked.
    const same = await Promise.allSettled([1, 2].map(() => handleCommand(store, 'show-3', seats, { seat: 30 })));
    expect(same.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(same.find((r) => r.status === 'rejected')).toMatchObject({ reason: new Error('seat taken') });
  });
});
