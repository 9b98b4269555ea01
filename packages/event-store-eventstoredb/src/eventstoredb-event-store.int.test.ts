// The adapter against a real EventStoreDB/KurrentDB: EVENTSTORE_URL, or a container where Docker is
// available. Without either, every test here is reported as skipped under a title saying why.
import { uniqueName, eventStoreContract, type ContractSetupOptions } from '@wor/test-support';
import { START } from '@wor/event-store';
import { createEventStoreDbEventStore } from './eventstoredb-event-store';
import { eventStoreDbAvailability, eventStoreDbUrl } from './testing/server';

const availability = eventStoreDbAvailability();
const suite = availability.available ? describe : describe.skip;
const title = availability.available
  ? `EventStoreDB adapter (server via ${availability.via})`
  : `EventStoreDB adapter: SKIPPED, ${availability.reason}`;

// Each store gets its own namespace, so runs on a shared server don't see each other's streams.
const setup = async (options: ContractSetupOptions & { pageSize?: number } = {}) => {
  const store = createEventStoreDbEventStore({
    connectionString: await eventStoreDbUrl(),
    streamPrefix: `${uniqueName('es')}.`,
    ...options,
  });
  return { store, teardown: async () => undefined };
};

suite(title, () => {
  // Pulling and starting the image can take minutes the first time.
  beforeAll(() => eventStoreDbUrl(), 300_000);

  eventStoreContract('eventstoredb', setup);

  describe('EventStoreDB specifics', () => {
    it("reads back only its own namespace from $all, even with another service's streams of the same id", async () => {
      const mine = await setup();
      const theirs = await setup();
      try {
        await theirs.store.append('s', [{ type: 'Theirs', data: {} }], { expectedVersion: 'no_stream' });
        await mine.store.append('s', [{ type: 'Mine', data: {} }], { expectedVersion: 'no_stream' });
        const read = await mine.store.readStream('s');
        expect(read.events.map((e) => [e.type, e.streamId, e.streamVersion])).toEqual([['Mine', 's', 0]]);
        const all = await mine.store.readAll(START, 100);
        expect(all.events.map((e) => e.type)).toEqual(['Mine']);
      } finally {
        await mine.store.close();
        await theirs.store.close();
      }
    });

    it('pages through foreign events and continues after a remembered scan', async () => {
      const mine = await setup({ pageSize: 3 });
      const theirs = await setup();
      try {
        await mine.store.append('a', [{ type: 'A', data: {} }], { expectedVersion: 'no_stream' });
        for (let i = 0; i < 10; i++) {
          await theirs.store.append(`t-${i}`, [{ type: 'X', data: {} }], { expectedVersion: 'no_stream' });
        }
        const first = await mine.store.readAll(START, 10);
        expect(first.events.map((e) => e.type)).toEqual(['A']);
        expect(await mine.store.readAll(first.checkpoint, 10)).toEqual({ events: [], checkpoint: first.checkpoint });
        await theirs.store.append('t-late', [{ type: 'X', data: {} }], { expectedVersion: 'no_stream' });
        await mine.store.append('a', [{ type: 'B', data: {} }], { expectedVersion: 0 });
        expect((await mine.store.readAll(first.checkpoint, 10)).events.map((e) => e.type)).toEqual(['B']);
      } finally {
        await mine.store.close();
        await theirs.store.close();
      }
    });

    it('an empty append only checks the expected version', async () => {
      const { store } = await setup();
      try {
        expect(await store.append('s', [], { expectedVersion: 'no_stream' })).toEqual({ nextExpectedVersion: -1 });
        await store.append('s', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream' });
        expect(await store.append('s', [], { expectedVersion: 0 })).toEqual({ nextExpectedVersion: 0 });
        await expect(store.append('s', [], { expectedVersion: 3 })).rejects.toMatchObject({ expected: 3, actual: 0 });
      } finally {
        await store.close();
      }
    });

    it('refuses a checkpoint of the PostgreSQL store', async () => {
      const { store } = await setup();
      try {
        await expect(store.readAll('1234:56', 10)).rejects.toThrow(/Invalid checkpoint.*another event store/);
      } finally {
        await store.close();
      }
    });
  });
});
