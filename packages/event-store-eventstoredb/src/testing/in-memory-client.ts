// An in-memory stand-in for the few EventStoreDBClient calls the adapter makes (append with expected
// revision, read a stream, read $all forwards from an inclusive position), with the client's own error
// classes. It lets the unit tests run the adapter's own logic (namespacing, paging and filtering of
// $all, checkpoints, error mapping) through the whole contract suite on machines without a server.
// It proves nothing about EventStoreDB itself: that is what the integration test is for.
import {
  type AllStreamResolvedEvent,
  type EventData,
  type EventStoreDBClient,
  type Position,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

type Stored = {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  isJson: true;
  created: Date;
  position: Position;
};

const comparePosition = (a: Position, b: Position) =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

export const createInMemoryClient = (options: { systemEventsEvery?: number; throwOnAppendFailure?: boolean } = {}) => {
  const log: Stored[] = [];
  let position = 0n;
  let disposed = false;
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const revisionOf = (name: string) =>
    log.filter((e) => e.streamId === name).reduce((max, e) => (e.revision > max ? e.revision : max), -1n);
  const write = (
    streamId: string,
    revision: bigint,
    event: { id: string; type: string; data: unknown; metadata: unknown },
  ) => {
    // Positions grow by a record's size in the real log; irregular steps keep the tests honest about ordering.
    position += 37n + BigInt(log.length % 7) * 1000n;
    log.push({
      streamId,
      revision,
      id: event.id,
      type: event.type,
      data: JSON.parse(JSON.stringify(event.data)),
      metadata: event.metadata === undefined ? undefined : JSON.parse(JSON.stringify(event.metadata)),
      isJson: true,
      created: new Date(),
      position: { commit: position, prepare: position },
    });
  };

  const client = {
    async appendToStream(
      name: string,
      events: EventData | EventData[],
      opts: { expectedRevision?: 'any' | 'no_stream' | bigint } = {},
    ) {
      if (disposed) throw new Error('client disposed');
      await tick();
      const batch = Array.isArray(events) ? events : [events];
      const current = revisionOf(name);
      const expected = opts.expectedRevision ?? 'any';
      const ok = expected === 'any' || (expected === 'no_stream' ? current === -1n : expected === current);
      if (!ok && options.throwOnAppendFailure === false) {
        return { success: false, nextExpectedRevision: 1n, position: undefined }; // the client's value is bogus here
      }
      if (!ok) {
        throw new WrongExpectedVersionError(undefined, {
          streamName: name,
          expected,
          current: current === -1n ? 'no_stream' : current,
        });
      }
      batch.forEach((event, i) => write(name, current + 1n + BigInt(i), event));
      // Other writers' and the server's own events interleave in $all.
      if (options.systemEventsEvery && log.length % options.systemEventsEvery === 0) {
        write('$stats-127.0.0.1:2113', revisionOf('$stats-127.0.0.1:2113') + 1n, {
          id: 'x',
          type: '$statsCollected',
          data: {},
          metadata: undefined,
        });
      }
      return { success: true, nextExpectedRevision: current + BigInt(batch.length), position: log.at(-1)?.position };
    },

    readStream(name: string) {
      return (async function* () {
        await tick();
        const events = log.filter((e) => e.streamId === name);
        if (events.length === 0) throw new StreamNotFoundError(undefined, name);
        for (const event of events) yield { event };
      })();
    },

    readAll({
      fromPosition = 'start',
      maxCount = Number.MAX_SAFE_INTEGER,
    }: { fromPosition?: 'start' | Position; maxCount?: number | bigint } = {}) {
      return (async function* (): AsyncGenerator<AllStreamResolvedEvent> {
        await tick();
        const from = fromPosition === 'start' ? undefined : fromPosition;
        // Inclusive of `from`, like a read of $all from a position.
        const page = log
          .filter((e) => from === undefined || comparePosition(e.position, from) >= 0)
          .slice(0, Number(maxCount));
        for (const event of page) yield { event } as AllStreamResolvedEvent;
      })();
    },

    async dispose() {
      disposed = true;
    },
  };
  return { client: client as unknown as EventStoreDBClient, log, isDisposed: () => disposed, write };
};
