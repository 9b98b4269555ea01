import { type Decider, handleCommand } from './handle-command';
import {
  ConcurrencyConflictError,
  type DomainEvent,
  type EventStore,
  type ExpectedVersion,
  type RecordedEvent,
} from './port';

// A deliberately trivial in-memory store: enough to exercise handleCommand's pure logic.
const inMemoryStore = () => {
  const streams = new Map<string, RecordedEvent[]>();
  const appends: { streamId: string; expectedVersion: ExpectedVersion; metadata: unknown }[] = [];
  const store: EventStore = {
    async append(streamId, events, { expectedVersion, metadata }) {
      appends.push({ streamId, expectedVersion, metadata });
      const existing = streams.get(streamId) ?? [];
      const actual = existing.length - 1;
      const expected = expectedVersion === 'no_stream' ? -1 : expectedVersion;
      if (expected !== 'any' && expected !== actual) {
        throw new ConcurrencyConflictError(streamId, expectedVersion, actual);
      }
      const recorded = events.map((e, i) => ({
        ...e,
        eventId: `${streamId}-${actual + 1 + i}`,
        streamId,
        streamVersion: actual + 1 + i,
        recordedAt: new Date(0),
        metadata: metadata ?? {},
        checkpoint: '',
      }));
      streams.set(streamId, [...existing, ...recorded]);
      return { nextExpectedVersion: actual + events.length };
    },
    async readStream<E extends DomainEvent>(streamId: string) {
      const events = (streams.get(streamId) ?? []) as RecordedEvent<E>[];
      return { events, currentVersion: events.length - 1 };
    },
    readAll: () => Promise.reject(new Error('not needed')),
    close: async () => undefined,
  };
  return { store, appends, streams };
};

type CounterEvent = DomainEvent<'Added', { by: number }> | DomainEvent<'Reset', null>;
type CounterCommand = { type: 'add'; by: number } | { type: 'reset' } | { type: 'noop' };

const counter: Decider<CounterCommand, CounterEvent, number> = {
  initialState: () => 0,
  evolve: (state, event) => {
    switch (event.type) {
      case 'Added':
        return state + event.data.by;
      case 'Reset':
        return 0;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'add':
        if (state + command.by > 10) throw new Error('limit');
        return [{ type: 'Added', data: { by: command.by } }];
      case 'reset':
        return state === 0 ? [] : [{ type: 'Reset', data: null }];
      case 'noop':
        return [];
    }
  },
};

describe('handleCommand', () => {
  it('folds the stream, decides, appends with the version read and returns the new state', async () => {
    const { store, appends } = inMemoryStore();
    const first = await handleCommand(store, 'c', counter, { type: 'add', by: 2 });
    expect(first).toEqual({
      newState: 2,
      newEvents: [{ type: 'Added', data: { by: 2 } }],
      history: [],
      nextExpectedVersion: 0,
    });

    const second = await handleCommand(store, 'c', counter, { type: 'add', by: 3 });
    expect(second.newState).toBe(5);
    expect(second.nextExpectedVersion).toBe(1);
    expect(appends.map((a) => a.expectedVersion)).toEqual([-1, 0]);
  });

  it('does not append when nothing is decided', async () => {
    const { store, appends } = inMemoryStore();
    await handleCommand(store, 'c', counter, { type: 'add', by: 4 });
    const result = await handleCommand(store, 'c', counter, { type: 'noop' });
    expect(result).toMatchObject({ newState: 4, newEvents: [], nextExpectedVersion: 0 });
    expect(appends).toHaveLength(1);
  });

  it('lets decide reject a command without writing', async () => {
    const { store, streams } = inMemoryStore();
    await expect(handleCommand(store, 'c', counter, { type: 'add', by: 11 })).rejects.toThrow('limit');
    expect(streams.size).toBe(0);
  });

  it('passes an explicit expected version and metadata through', async () => {
    const { store, appends } = inMemoryStore();
    await handleCommand(store, 'c', counter, { type: 'add', by: 1 });
    await handleCommand(
      store,
      'c',
      counter,
      { type: 'reset' },
      { expectedVersion: 'any', metadata: { correlationId: 'corr' } },
    );
    expect(appends[1]).toEqual({ streamId: 'c', expectedVersion: 'any', metadata: { correlationId: 'corr' } });
  });

  /** A store where another writer appends right after each of the first `times` reads. */
  const racing = (store: EventStore, times: number): EventStore => {
    let left = times;
    return {
      ...store,
      readStream: async <E extends DomainEvent>(id: string) => {
        const read = await store.readStream<E>(id);
        if (left-- > 0) await store.append(id, [{ type: 'Added', data: { by: 1 } }], { expectedVersion: 'any' });
        return read;
      },
    };
  };

  it('builds the command from the state it read, once per read', async () => {
    const { store } = inMemoryStore();
    await handleCommand(store, 'c', counter, { type: 'add', by: 3 });
    const seen: { state: number; version: number }[] = [];
    const result = await handleCommand(store, 'c', counter, async (state: number, { version }) => {
      seen.push({ state, version });
      return { type: 'add', by: state } as CounterCommand;
    });
    expect(seen).toEqual([{ state: 3, version: 0 }]);
    expect(result.newState).toBe(6);
    expect(result.history).toEqual([expect.objectContaining({ type: 'Added', data: { by: 3 } })]);
  });

  it('without an expected version, decides again on fresh state after a conflict', async () => {
    const { store, streams } = inMemoryStore();
    await handleCommand(store, 'c', counter, { type: 'add', by: 1 });
    const seen: number[] = [];
    const result = await handleCommand(racing(store, 2), 'c', counter, (state: number) => {
      seen.push(state);
      return { type: 'add', by: 1 } as CounterCommand;
    });
    // Read 1, then 2, then 3 (two writers got in between); the third decision lands on top of both.
    expect(seen).toEqual([1, 2, 3]);
    expect(result).toMatchObject({ newState: 4, nextExpectedVersion: 3 });
    expect(streams.get('c')).toHaveLength(4);
  });

  it('gives up after the bounded number of retries', async () => {
    const { store } = inMemoryStore();
    await handleCommand(store, 'c', counter, { type: 'add', by: 1 });
    const error = await handleCommand(racing(store, 5), 'c', counter, { type: 'add', by: 1 }, { retries: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConcurrencyConflictError);
  });

  it('with an expected version, surfaces the conflict at once (If-Match stays 412)', async () => {
    const { store } = inMemoryStore();
    await handleCommand(store, 'c', counter, { type: 'add', by: 1 });
    let decided = 0;
    const error = await handleCommand(
      racing(store, 1),
      'c',
      counter,
      () => (decided++, { type: 'add', by: 1 } as CounterCommand),
      { expectedVersion: 0 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect(error).toMatchObject({ streamId: 'c', expected: 0, actual: 1 });
    expect(decided).toBe(1);
  });
});
