// EventStoreDB (KurrentDB) adapter of the event-store port, on @eventstore/db-client.
//
// Namespacing: a service's streams are named `<streamPrefix><streamId>` (e.g. `referral.referral-42`),
// the way the PostgreSQL adapter keeps each service in its own schema. readAll reads the global log
// ($all) and keeps only the service's own streams.
//
// Ordering: EventStoreDB has one writer per cluster that appends to a single log; an event becomes
// readable only once written (and, in a cluster, replicated), and always after everything readable
// before it. So $all positions never go backwards for readers and the PostgreSQL adapter's snapshot
// trick is not needed: a checkpoint is simply the last returned event's (commit, prepare) position.
//
// Concurrency: appends pass the expected revision to the server, which checks it atomically with the
// write; its WrongExpectedVersion becomes the port's ConcurrencyConflictError.
import { randomUUID } from 'node:crypto';
import {
  type AllStreamResolvedEvent,
  type EventData,
  EventStoreDBClient,
  FORWARDS,
  type ResolvedEvent,
  START as FROM_START,
} from '@eventstore/db-client';
import {
  type Checkpoint,
  ConcurrencyConflictError,
  type DomainEvent,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type RecordedEvent,
} from '@wor/event-store';
import {
  isAfter,
  type LogPosition,
  parseCheckpoint,
  toActualVersion,
  toCheckpoint,
  toExpectedRevision,
  toStreamId,
  toStreamName,
  toStreamVersion,
  validateExpectedVersion,
  validateStreamPrefix,
} from './mapping';
import { createScanHints } from './scan-hints';

export type EventStoreDbEventStoreOptions = Readonly<{
  /** `esdb://host:2113?tls=false` style connection string; the store owns the client it creates. */
  connectionString?: string;
  /** Or a client owned by the caller: `close()` does not dispose it. */
  client?: EventStoreDBClient;
  /** Namespace of this service's streams: a lowercase name and a dot, e.g. `"referral."`. */
  streamPrefix: string;
  /**
   * Test hook of the contract suite. EventStoreDB has no transaction to hold open: the hook is awaited
   * right before the append request, i.e. before the events become visible, which delays them the
   * same way (they then land later in $all).
   */
  beforeCommit?: () => Promise<void>;
  /** Events read from $all per request while filtering (default 1000). */
  pageSize?: number;
}>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STORED_METADATA = ['correlationId', 'causationId', 'traceparent', 'actor'] as const;

type ClientError = { type?: unknown; actualVersion?: unknown };
const errorType = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as ClientError).type : undefined;
// The client's ErrorType values; matched by value so a second copy of the client still matches.
export const isWrongExpectedVersion = (error: unknown): boolean => errorType(error) === 'wrong-expected-version';
export const isStreamNotFound = (error: unknown): boolean => errorType(error) === 'stream-not-found';

/** The port's error for a WrongExpectedVersion of the client. */
export const toConcurrencyConflict = (
  streamId: string,
  expected: ExpectedVersion,
  error: unknown,
): ConcurrencyConflictError => {
  const conflict = new ConcurrencyConflictError(
    streamId,
    expected,
    toActualVersion((error as ClientError).actualVersion),
  );
  return Object.assign(conflict, { cause: error });
};

// Only known keys are stored (and read back): metadata must stay free of personal data.
export const storedMetadata = (metadata: EventMetadata | Record<string, unknown> | undefined): EventMetadata => {
  const source = (metadata ?? {}) as Record<string, unknown>;
  const stored: Record<string, unknown> = {};
  for (const key of STORED_METADATA) {
    if (typeof source[key] === 'string') stored[key] = source[key];
  }
  const facts = source.streamFacts;
  if (typeof facts === 'object' && facts !== null && !Array.isArray(facts)) {
    stored.streamFacts = Object.fromEntries(Object.entries(facts).filter(([, v]) => typeof v === 'string'));
  }
  return stored as EventMetadata;
};

type StoredRecord = NonNullable<ResolvedEvent['event']>;

export const createEventStoreDbEventStore = (options: EventStoreDbEventStoreOptions): EventStore => {
  const prefix = validateStreamPrefix(options.streamPrefix);
  if (!options.client && !options.connectionString)
    throw new Error('EventStoreDB: a connectionString or client is required');
  // Parsing the connection string validates it; the client connects lazily, on the first call.
  const client = options.client ?? EventStoreDBClient.connectionString(options.connectionString as string);
  const ownsClient = !options.client;
  const pageSize = options.pageSize ?? 1000;
  // A read from a position includes the record there: a page of one would never move on.
  if (!Number.isInteger(pageSize) || pageSize < 2) throw new RangeError(`Invalid page size: ${pageSize}`);
  const hints = createScanHints();

  const positionOf = (record: StoredRecord): LogPosition => {
    // Returned for stream reads by servers since 22.6; readAll and readStream must agree on it.
    if (!record.position) throw new Error('EventStoreDB returned no event position (server 22.6 or later required)');
    return record.position;
  };

  const toRecorded = <E extends DomainEvent>(record: StoredRecord, streamId: string): RecordedEvent<E> =>
    ({
      type: record.type,
      data: record.data,
      eventId: record.id,
      streamId,
      streamVersion: toStreamVersion(record.revision),
      recordedAt: record.created,
      metadata: {
        ...storedMetadata(
          record.metadata instanceof Uint8Array ? undefined : (record.metadata as Record<string, unknown>),
        ),
        eventId: record.id,
      },
      checkpoint: toCheckpoint(positionOf(record)),
    }) as unknown as RecordedEvent<E>;

  const toEventData = (events: readonly DomainEvent[], metadata: EventMetadata | undefined): EventData[] => {
    if (metadata?.eventId !== undefined) {
      if (events.length > 1) throw new Error('metadata.eventId can only be given for a single-event append');
      if (!UUID.test(metadata.eventId)) throw new Error('metadata.eventId must be a UUID');
    }
    const stored = storedMetadata(metadata);
    return events.map(
      (event) =>
        ({
          id: metadata?.eventId ?? randomUUID(),
          contentType: 'application/json',
          type: event.type,
          data: event.data ?? null,
          metadata: stored,
        }) as EventData,
    );
  };

  const readStream = async <E extends DomainEvent>(streamId: string) => {
    const events: RecordedEvent<E>[] = [];
    try {
      for await (const resolved of client.readStream(toStreamName(prefix, streamId), {
        fromRevision: FROM_START,
        direction: FORWARDS,
      })) {
        if (resolved.event) events.push(toRecorded<E>(resolved.event, streamId));
      }
    } catch (error) {
      if (isStreamNotFound(error)) return { events: [], currentVersion: -1 };
      throw error;
    }
    return { events, currentVersion: events.at(-1)?.streamVersion ?? -1 };
  };

  return {
    async append(streamId, events, { expectedVersion, metadata }) {
      validateExpectedVersion(expectedVersion);
      if (events.length === 0) {
        // Nothing to write: only check the expectation (as the PostgreSQL adapter does).
        const actual = (await readStream(streamId)).currentVersion;
        const expected = expectedVersion === 'no_stream' ? -1 : expectedVersion;
        if (expected !== 'any' && expected !== actual) {
          throw new ConcurrencyConflictError(streamId, expectedVersion, actual);
        }
        return { nextExpectedVersion: actual };
      }
      const data = toEventData(events, metadata);
      await options.beforeCommit?.();
      try {
        const result = await client.appendToStream(toStreamName(prefix, streamId), data, {
          expectedRevision: toExpectedRevision(expectedVersion),
        });
        if (!result.success) {
          // Only with `throwOnAppendFailure=false` in the connection string; its revision is unreliable.
          throw new ConcurrencyConflictError(streamId, expectedVersion, (await readStream(streamId)).currentVersion);
        }
        return { nextExpectedVersion: toStreamVersion(result.nextExpectedRevision) };
      } catch (error) {
        if (isWrongExpectedVersion(error)) throw toConcurrencyConflict(streamId, expectedVersion, error);
        throw error;
      }
    },

    readStream,

    async readAll(from, limit) {
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Invalid limit: ${limit}`);
      const fromPosition = parseCheckpoint(from);
      const events: RecordedEvent[] = [];
      // Resume after the part of $all already known to hold nothing of ours.
      let scanned: LogPosition | undefined = hints.get(from) ?? fromPosition;
      for (;;) {
        // A read from a position includes the record there; it is skipped below.
        const page: AllStreamResolvedEvent[] = [];
        for await (const resolved of client.readAll({
          fromPosition: scanned ?? FROM_START,
          maxCount: pageSize,
          direction: FORWARDS,
        })) {
          page.push(resolved);
        }
        for (const { event } of page) {
          if (!event || !isAfter(event.position, scanned)) continue;
          scanned = event.position;
          const streamId = toStreamId(prefix, event.streamId);
          if (streamId === undefined) continue;
          events.push(toRecorded(event, streamId));
          if (events.length === limit) return { events, checkpoint: toCheckpoint(event.position) };
        }
        if (page.length < pageSize) break; // reached the end of $all
      }
      const checkpoint: Checkpoint = events.at(-1)?.checkpoint ?? from;
      if (scanned !== undefined) hints.set(checkpoint, scanned);
      return { events, checkpoint };
    },

    async close() {
      if (ownsClient) await client.dispose();
    },
  };
};
