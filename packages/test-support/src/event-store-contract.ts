// Behaviour every EventStore adapter must have. Adapter-neutral on purpose (no SQL here), so the
// PostgreSQL and a future EventStoreDB adapter run the same suite. Stream ids get a random prefix and
// readAll results are filtered to them, so the suite also works on a store shared with other tests.
import {
  waitUntilReadable,
  type Checkpoint,
  ConcurrencyConflictError,
  type DomainEvent,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type RecordedEvent,
  START,
} from '@wor/event-store';
import { randomBytes } from 'node:crypto';

export type ContractSetupOptions = Readonly<{
  /**
   * Awaited by the adapter inside every append, after the events are written and before they become
   * visible (for transactional stores: inside the open transaction, before COMMIT). The suite uses it
   * for random commit delays and to make transactions commit out of order.
   */
  beforeCommit?: () => Promise<void>;
}>;

export type ContractSetup = (
  options?: ContractSetupOptions,
) => Promise<{ store: EventStore; teardown: () => Promise<void> }>;

type Tagged = DomainEvent<string, { tag: string }>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const randomInt = (maxExclusive: number) => Math.floor(Math.random() * maxExclusive);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const tagged = (...tags: string[]): Tagged[] => tags.map((tag) => ({ type: 'Tagged', data: { tag } }));
const tagOf = (event: RecordedEvent) => (event.data as { tag: string }).tag;

const conflictOf = async (promise: Promise<unknown>): Promise<ConcurrencyConflictError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConcurrencyConflictError);
  return error as ConcurrencyConflictError;
};

export const eventStoreContract = (name: string, setup: ContractSetup): void => {
  describe(`EventStore contract: ${name}`, () => {
    const scenario = (
      title: string,
      body: (store: EventStore, stream: (name: string) => string) => Promise<void>,
      options: ContractSetupOptions = {},
    ) =>
      it(title, async () => {
        const { store, teardown } = await setup(options);
        const prefix = `contract-${randomBytes(4).toString('hex')}`;
        try {
          await body(store, (n) => `${prefix}-${n}`);
        } finally {
          await store.close();
          await teardown();
        }
      });

    /** Follows readAll in batches until an empty batch; returns only events of the given prefix. */
    const readAllOurs = async (store: EventStore, from: Checkpoint, batch: number, prefix: string) => {
      // Other transactions on the same server (other tests, other services) may hold back what was
      // just committed for a moment; wait until it is readable, as projections do.
      await waitUntilReadable(store, 15_000);
      const events: RecordedEvent[] = [];
      let checkpoint = from;
      for (;;) {
        const result = await store.readAll(checkpoint, batch);
        expect(result.events.length).toBeLessThanOrEqual(batch);
        if (result.events.length === 0) {
          expect(result.checkpoint).toBe(checkpoint);
          return { events, checkpoint };
        }
        expect(result.checkpoint).toBe(result.events.at(-1)?.checkpoint);
        events.push(...result.events.filter((e) => e.streamId.startsWith(prefix)));
        checkpoint = result.checkpoint;
      }
    };

    scenario('appends and reads a stream back', async (store, stream) => {
      const id = stream('order');
      const result = await store.append(
        id,
        [
          { type: 'Opened', data: { n: 1, nested: { ok: true } } },
          { type: 'Closed', data: null },
        ],
        { expectedVersion: 'no_stream' },
      );
      expect(result.nextExpectedVersion).toBe(1);

      const read = await store.readStream(id);
      expect(read.currentVersion).toBe(1);
      expect(read.events.map((e) => [e.type, e.data, e.streamId, e.streamVersion])).toEqual([
        ['Opened', { n: 1, nested: { ok: true } }, id, 0],
        ['Closed', null, id, 1],
      ]);
      for (const event of read.events) {
        expect(event.eventId).toMatch(UUID);
        expect(event.recordedAt).toBeInstanceOf(Date);
        expect(typeof event.checkpoint).toBe('string');
        expect(event.checkpoint).not.toBe(START);
      }
      expect(new Set(read.events.map((e) => e.eventId)).size).toBe(2);
    });

    scenario('reads a missing stream as empty with currentVersion -1', async (store, stream) => {
      expect(await store.readStream(stream('nothing'))).toEqual({ events: [], currentVersion: -1 });
    });

    scenario("'no_stream' accepts a new stream and rejects an existing one", async (store, stream) => {
      const id = stream('s');
      await store.append(id, tagged('a'), { expectedVersion: 'no_stream' });
      const error = await conflictOf(store.append(id, tagged('b'), { expectedVersion: 'no_stream' }));
      expect(error).toMatchObject({ streamId: id, expected: 'no_stream', actual: 0 });
      expect((await store.readStream(id)).events.map(tagOf)).toEqual(['a']);
    });

    scenario('-1 as expected version means the stream must not exist', async (store, stream) => {
      const id = stream('s');
      expect(await store.append(id, tagged('a'), { expectedVersion: -1 })).toEqual({ nextExpectedVersion: 0 });
      const error = await conflictOf(store.append(id, tagged('b'), { expectedVersion: -1 }));
      expect(error).toMatchObject({ streamId: id, expected: -1, actual: 0 });
    });

    scenario("'any' appends to new and existing streams", async (store, stream) => {
      const id = stream('s');
      expect(await store.append(id, tagged('a'), { expectedVersion: 'any' })).toEqual({ nextExpectedVersion: 0 });
      expect(await store.append(id, tagged('b', 'c'), { expectedVersion: 'any' })).toEqual({
        nextExpectedVersion: 2,
      });
      expect((await store.readStream(id)).events.map(tagOf)).toEqual(['a', 'b', 'c']);
    });

    scenario('an exact expected version must equal the current version', async (store, stream) => {
      const id = stream('s');
      await store.append(id, tagged('a', 'b'), { expectedVersion: 'no_stream' });
      expect(await store.append(id, tagged('c'), { expectedVersion: 1 })).toEqual({ nextExpectedVersion: 2 });

      for (const wrong of [0, 1, 5]) {
        const error = await conflictOf(store.append(id, tagged('x'), { expectedVersion: wrong }));
        expect(error).toMatchObject({ streamId: id, expected: wrong, actual: 2 });
        expect(error.message).toContain(id);
      }
      const missing = await conflictOf(store.append(stream('missing'), tagged('x'), { expectedVersion: 0 }));
      expect(missing).toMatchObject({ streamId: stream('missing'), expected: 0, actual: -1 });

      const read = await store.readStream(id);
      expect(read.events.map(tagOf)).toEqual(['a', 'b', 'c']);
      expect(read.currentVersion).toBe(2);
      expect((await store.readStream(stream('missing'))).currentVersion).toBe(-1);
    });

    scenario('a multi-event append is all or nothing', async (store, stream) => {
      const id = stream('s');
      await store.append(id, tagged('a', 'b', 'c'), { expectedVersion: 'no_stream' });
      await conflictOf(store.append(id, tagged('x', 'y', 'z'), { expectedVersion: 0 }));
      const read = await store.readStream(id);
      expect(read.events.map((e) => [tagOf(e), e.streamVersion])).toEqual([
        ['a', 0],
        ['b', 1],
        ['c', 2],
      ]);
      const all = await readAllOurs(store, START, 100, id);
      expect(all.events.map(tagOf)).toEqual(['a', 'b', 'c']);
    });

    scenario('readAll returns everything from START and continues from checkpoints', async (store, stream) => {
      const streams = [stream('x'), stream('y'), stream('z')];
      const expected: string[] = [];
      for (let i = 0; i < 10; i++) {
        const id = streams[i % 3] as string;
        // A long first batch makes positions cross a digit boundary inside one append.
        const count = i === 0 ? 12 : i % 4 === 0 ? 2 : 1;
        const tags = Array.from({ length: count }, (_, j) => `${i}.${j}`);
        await store.append(id, tagged(...tags), { expectedVersion: 'any' });
        expected.push(...tags);
      }

      const prefix = stream('');
      const all = await readAllOurs(store, START, 3, prefix);
      expect(all.events.map(tagOf)).toEqual(expected);
      expect(new Set(all.events.map((e) => e.checkpoint)).size).toBe(expected.length);

      // Continuing from any event's checkpoint yields exactly the events after it.
      for (const cut of [0, 4, expected.length - 1]) {
        const from = (all.events[cut] as RecordedEvent).checkpoint;
        const rest = await readAllOurs(store, from, 2, prefix);
        expect(rest.events.map(tagOf)).toEqual(expected.slice(cut + 1));
      }

      // Caught up: nothing new, checkpoint unchanged; new appends show up after it.
      const again = await readAllOurs(store, all.checkpoint, 5, prefix);
      expect(again.events).toEqual([]);
      await store.append(streams[0] as string, tagged('late'), { expectedVersion: 'any' });
      expect((await readAllOurs(store, all.checkpoint, 5, prefix)).events.map(tagOf)).toEqual(['late']);
    });

    scenario('readAll and readStream agree on each event', async (store, stream) => {
      await store.append(stream('a'), tagged('1', '2'), { expectedVersion: 'no_stream' });
      await store.append(stream('b'), tagged('3'), { expectedVersion: 'no_stream' });
      const all = await readAllOurs(store, START, 10, stream(''));
      const byStream = [
        ...(await store.readStream(stream('a'))).events,
        ...(await store.readStream(stream('b'))).events,
      ];
      expect(all.events).toEqual(byStream);
    });

    scenario('stores and returns metadata', async (store, stream) => {
      const metadata: EventMetadata = {
        eventId: '5b7e3f0e-2c4a-4d7e-9a51-0c6f1d2b3a4e',
        correlationId: 'corr-1',
        causationId: 'cause-1',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        actor: 'actor-42',
        streamFacts: { municipality: 'GM9999', organisationId: 'welzijn-beterstad' },
      };
      await store.append(stream('m'), tagged('with'), { expectedVersion: 'no_stream', metadata });
      const [event] = (await store.readStream(stream('m'))).events;
      expect(event?.eventId).toBe(metadata.eventId);
      expect(event?.metadata).toMatchObject(metadata);
      const [viaAll] = (await readAllOurs(store, START, 10, stream('m'))).events;
      expect(viaAll?.metadata).toMatchObject(metadata);

      // Without an eventId every event gets its own; the shared metadata is stored on each.
      const { eventId: _omit, ...rest } = metadata;
      await store.append(stream('n'), tagged('1', '2'), { expectedVersion: 'no_stream', metadata: rest });
      const events = (await store.readStream(stream('n'))).events;
      expect(events.map((e) => e.metadata)).toEqual([expect.objectContaining(rest), expect.objectContaining(rest)]);
      expect(events[0]?.eventId).toMatch(UUID);
      expect(events[0]?.eventId).not.toBe(events[1]?.eventId);
    });

    const gate = createGate();
    scenario(
      'a reader never skips an event whose transaction commits after a later one',
      async (store, stream) => {
        // Transaction A writes first (earlier position) but commits only after B has committed.
        const prefix = stream('');
        const pA = store.append(stream('a'), tagged('A'), { expectedVersion: 'no_stream' });
        let during: Awaited<ReturnType<typeof readAllOurs>>;
        try {
          await gate.entered;
          await store.append(stream('b'), tagged('B'), { expectedVersion: 'no_stream' });

          during = await readAllOurs(store, START, 10, prefix);
          // Returning B now would move the checkpoint past A, which a naive reader then never sees.
          expect(during.events.map(tagOf)).not.toContain('A');
          expect(['', 'B']).toContain(during.events.map(tagOf).join(','));
        } finally {
          gate.release(); // also on failure: an open transaction would block teardown
        }
        await pA;
        const after = await eventually(async () => {
          const next = await readAllOurs(store, during.checkpoint, 10, prefix);
          return [...during.events, ...next.events].length >= 2 ? next : undefined;
        });
        const seen = [...during.events, ...after.events].map(tagOf);
        expect(seen.sort()).toEqual(['A', 'B']);
      },
      { beforeCommit: () => gate.hook() },
    );

    scenario(
      'concurrent writers: every committed event is read exactly once, in stream order, none lost',
      async (store, stream) => {
        const WRITERS = 8;
        const ROUNDS = 20;
        const prefix = stream('');
        const shared = [stream('shared-0'), stream('shared-1')];
        const committed = new Map<string, string[]>(); // stream -> tags, in commit order
        const commit = (id: string, events: Tagged[]) =>
          committed.set(id, [...(committed.get(id) ?? []), ...events.map((e) => e.data.tag)]);
        let conflicts = 0;
        let writersDone = false;

        const writer = async (w: number) => {
          const own = stream(`own-${w}`);
          let ownVersion: ExpectedVersion = 'no_stream';
          for (let r = 0; r < ROUNDS; r++) {
            const mine = tagged(...Array.from({ length: 1 + randomInt(3) }, (_, i) => `${w}.${r}.own.${i}`));
            ownVersion = (await store.append(own, mine, { expectedVersion: ownVersion })).nextExpectedVersion;
            commit(own, mine);

            const target = shared[randomInt(shared.length)] as string;
            const ours = tagged(...Array.from({ length: 1 + randomInt(2) }, (_, i) => `${w}.${r}.shared.${i}`));
            if (r % 5 === 4) {
              await store.append(target, ours, { expectedVersion: 'any' });
              commit(target, ours);
              continue;
            }
            const { currentVersion } = await store.readStream(target);
            await sleep(randomInt(3));
            try {
              await store.append(target, ours, { expectedVersion: currentVersion });
              commit(target, ours);
            } catch (error) {
              if (!(error instanceof ConcurrencyConflictError)) throw error;
              expect(error.streamId).toBe(target);
              expect(error.expected).toBe(currentVersion);
              expect(error.actual).toBeGreaterThan(currentVersion);
              conflicts++;
            }
          }
        };

        const seen: RecordedEvent[] = [];
        const reader = async () => {
          let checkpoint = START;
          const deadline = Date.now() + 30_000;
          const total = () => [...committed.values()].reduce((n, tags) => n + tags.length, 0);
          while (!writersDone || seen.length < total()) {
            if (Date.now() > deadline) throw new Error(`reader saw ${seen.length} of ${total()} events`);
            const batch = await store.readAll(checkpoint, 7);
            seen.push(...batch.events.filter((e) => e.streamId.startsWith(prefix)));
            checkpoint = batch.checkpoint;
            if (batch.events.length === 0) await sleep(5);
          }
          // Nothing beyond what was committed shows up later.
          const tail = await readAllOurs(store, checkpoint, 50, prefix);
          seen.push(...tail.events);
        };

        const readerDone = reader();
        await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w))).finally(() => {
          writersDone = true;
        });
        await readerDone;

        // Exactly once: the reader saw precisely the committed events, each a single time.
        const seenTags = seen.map(tagOf);
        expect(new Set(seenTags).size).toBe(seenTags.length);
        expect([...seenTags].sort()).toEqual([...committed.values()].flat().sort());

        for (const [id, tags] of committed) {
          // readAll delivers each stream's events in stream order, versions contiguous from 0.
          const ofStream = seen.filter((e) => e.streamId === id);
          expect(ofStream.map((e) => e.streamVersion)).toEqual(tags.map((_, i) => i));
          // Nothing lost or overwritten: the stream holds exactly the accepted appends, in order.
          const read = await store.readStream(id);
          expect(read.events.map(tagOf)).toEqual(tags);
          expect(read.events.map((e) => e.streamVersion)).toEqual(tags.map((_, i) => i));
          expect(read.currentVersion).toBe(tags.length - 1);
        }
        expect(conflicts).toBeGreaterThan(0);
      },
      { beforeCommit: () => sleep(randomInt(10)) },
    );
  });
};

/** A beforeCommit hook whose first call waits (inside its transaction) until `release()`. */
const createGate = () => {
  let calls = 0;
  let markEntered = () => undefined as void;
  let release = () => undefined as void;
  const entered = new Promise<void>((resolve) => (markEntered = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    entered,
    release: () => release(),
    hook: async () => {
      if (calls++ === 0) {
        markEntered();
        await released;
      }
    },
  };
};

/** Polls until `attempt` returns a value (readers may lag while other transactions run). */
const eventually = async <T>(attempt: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
};
