// The adapter's own logic on an in-memory stand-in of the client (see testing/in-memory-client.ts).
// The same suites against a real server are in eventstoredb-event-store.int.test.ts.
import { START } from '@wor/event-store';
import { eventStoreContract, type ContractSetupOptions } from '@wor/test-support';
import { createEventStoreDbEventStore } from './eventstoredb-event-store';
import { createInMemoryClient } from './testing/in-memory-client';

const setup = async (options: ContractSetupOptions & { pageSize?: number } = {}) => {
  const fake = createInMemoryClient({ systemEventsEvery: 3 });
  // A small page makes every readAll cross page boundaries and skip foreign events.
  const store = createEventStoreDbEventStore({ client: fake.client, streamPrefix: 'svc.', pageSize: 4, ...options });
  return { store, fake, teardown: async () => undefined };
};

eventStoreContract('eventstoredb adapter logic on an in-memory stand-in of the client, not a server', setup);

describe('EventStoreDB adapter logic (in-memory stand-in)', () => {
  it("names streams in the service's namespace and reads back only its own", async () => {
    const { store, fake } = await setup();
    const other = createEventStoreDbEventStore({ client: fake.client, streamPrefix: 'svc_other.' });
    await other.append('s', [{ type: 'Theirs', data: {} }], { expectedVersion: 'no_stream' });
    await store.append('s', [{ type: 'Mine', data: {} }], { expectedVersion: 'no_stream' });
    expect(fake.log.map((e) => e.streamId).filter((s) => !s.startsWith('$'))).toEqual(['svc_other.s', 'svc.s']);
    expect((await store.readStream('s')).events.map((e) => [e.type, e.streamId])).toEqual([['Mine', 's']]);
    expect((await store.readAll(START, 10)).events.map((e) => e.type)).toEqual(['Mine']);
  });

  it('an idle reader does not re-read the foreign tail of $all on every poll', async () => {
    const { store, fake } = await setup();
    const other = createEventStoreDbEventStore({ client: fake.client, streamPrefix: 'svc_other.' });
    await store.append('mine', [{ type: 'A', data: {} }], { expectedVersion: 'no_stream' });
    for (let i = 0; i < 40; i++)
      await other.append(`t-${i}`, [{ type: 'X', data: {} }], { expectedVersion: 'no_stream' });

    let transferred = 0;
    const readAll = fake.client.readAll.bind(fake.client);
    fake.client.readAll = ((...args: Parameters<typeof readAll>) => {
      const page = readAll(...args);
      return (async function* () {
        for await (const event of page) {
          transferred++;
          yield event;
        }
      })();
    }) as unknown as typeof readAll;

    const first = await store.readAll(START, 10);
    expect(first.events.map((e) => e.type)).toEqual(['A']);
    const firstCost = transferred;
    expect(firstCost).toBeGreaterThan(40);

    transferred = 0;
    const again = await store.readAll(first.checkpoint, 10);
    expect(again).toEqual({ events: [], checkpoint: first.checkpoint });
    expect(transferred).toBeLessThanOrEqual(1); // only the record at the remembered position

    // New events after the remembered position still arrive, ours only.
    await other.append('t-late', [{ type: 'X', data: {} }], { expectedVersion: 'no_stream' });
    await store.append('mine', [{ type: 'B', data: {} }], { expectedVersion: 0 });
    const next = await store.readAll(first.checkpoint, 10);
    expect(next.events.map((e) => e.type)).toEqual(['B']);
    // A fresh store (no hints, e.g. after a restart) reads the same from the same checkpoint.
    const fresh = createEventStoreDbEventStore({ client: fake.client, streamPrefix: 'svc.' });
    expect(await fresh.readAll(first.checkpoint, 10)).toEqual(next);
  });

  it('refuses what the port forbids before calling the server', async () => {
    const { store, fake } = await setup();
    const event = { type: 'T', data: {} };
    await expect(store.readAll('12:34', 10)).rejects.toThrow(/Invalid checkpoint/);
    await expect(store.readAll(START, 0)).rejects.toThrow(RangeError);
    await expect(store.append('s', [event], { expectedVersion: -2 })).rejects.toThrow(RangeError);
    await expect(store.append('s', [event], { expectedVersion: 1.5 })).rejects.toThrow(RangeError);
    await expect(
      store.append('s', [event, event], {
        expectedVersion: 'any',
        metadata: { eventId: '5b7e3f0e-2c4a-4d7e-9a51-0c6f1d2b3a4e' },
      }),
    ).rejects.toThrow(/single-event/);
    await expect(store.append('s', [event], { expectedVersion: 'any', metadata: { eventId: 'nope' } })).rejects.toThrow(
      /UUID/,
    );
    expect(fake.log).toEqual([]);
    expect(() => createEventStoreDbEventStore({ client: fake.client, streamPrefix: 'svc' })).toThrow(
      /Invalid stream prefix/,
    );
    expect(() => createEventStoreDbEventStore({ client: fake.client, streamPrefix: 'svc.', pageSize: 1 })).toThrow(
      RangeError,
    );
    expect(() => createEventStoreDbEventStore({ streamPrefix: 'svc.' })).toThrow(/connectionString or client/);
  });

  it('an empty append only checks the expected version', async () => {
    const { store } = await setup();
    expect(await store.append('s', [], { expectedVersion: 'no_stream' })).toEqual({ nextExpectedVersion: -1 });
    await store.append('s', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream' });
    expect(await store.append('s', [], { expectedVersion: 0 })).toEqual({ nextExpectedVersion: 0 });
    expect(await store.append('s', [], { expectedVersion: 'any' })).toEqual({ nextExpectedVersion: 0 });
    await expect(store.append('s', [], { expectedVersion: 3 })).rejects.toMatchObject({ expected: 3, actual: 0 });
  });

  it('also reports a conflict when the client is configured not to throw on append failures', async () => {
    const fake = createInMemoryClient({ throwOnAppendFailure: false });
    const store = createEventStoreDbEventStore({ client: fake.client, streamPrefix: 'svc.' });
    await store.append(
      's',
      [
        { type: 'T', data: {} },
        { type: 'T', data: {} },
      ],
      { expectedVersion: 'no_stream' },
    );
    await expect(store.append('s', [{ type: 'T', data: {} }], { expectedVersion: 0 })).rejects.toMatchObject({
      name: 'ConcurrencyConflictError',
      expected: 0,
      actual: 1,
    });
  });

  it('stores only the known metadata keys', async () => {
    const { store, fake } = await setup();
    const metadata = { correlationId: 'c', name: 'Jan Jansen' } as never;
    await store.append('s', [{ type: 'T', data: {} }], { expectedVersion: 'no_stream', metadata });
    expect(fake.log[0]?.metadata).toEqual({ correlationId: 'c' });
  });

  it("disposes only a client it created, not the caller's", async () => {
    const { store, fake } = await setup();
    await store.close();
    expect(fake.isDisposed()).toBe(false);
  });
});
