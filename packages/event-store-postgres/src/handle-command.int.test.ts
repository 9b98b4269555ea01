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

  it('lets only one of several concurrent commands on a stream win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => handleCommand(store, 'show-2', seats, { seat: 10 + i })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won.length).toBeGreaterThanOrEqual(1);
    for (const r of lost) expect(r.reason).toBeInstanceOf(ConcurrencyConflictError);
    expect((await store.readStream('show-2')).currentVersion).toBe(won.length - 1);
  });
});
