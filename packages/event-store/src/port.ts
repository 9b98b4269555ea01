// The event-store port: the only thing services know about where their events live.
// Adapters (PostgreSQL, EventStoreDB) must pass the contract suite in ./testing.

/** Domain event as the aggregate produces it. */
export type DomainEvent<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Data;
}>;

/** Metadata stored with each event (never personal data: ids and trace context only). */
export type EventMetadata = Readonly<{
  eventId?: string; // generated when absent
  correlationId?: string;
  causationId?: string;
  /** W3C traceparent of the request that caused the event, so the relay continues the trace. */
  traceparent?: string;
  /** Who caused it: an actor id, never a name. */
  actor?: string;
  /**
   * Codes about the stream's aggregate that the relay needs without folding the stream (e.g. the
   * municipality for routing and the envelope). Never personal data.
   */
  streamFacts?: Readonly<Record<string, string>>;
}>;

/** An event as read back from the store. */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = E & {
  readonly eventId: string;
  readonly streamId: string;
  /** 0-based position of the event in its stream. */
  readonly streamVersion: number;
  readonly recordedAt: Date;
  readonly metadata: EventMetadata;
  /** Opaque, adapter-specific position in the global order; pass it to `readAll` to continue after it. */
  readonly checkpoint: Checkpoint;
};

/** Opaque position in the global order. `START` reads from the beginning. */
export type Checkpoint = string;
export const START: Checkpoint = '';

/**
 * Expected version for an append:
 * - `'no_stream'`: the stream must not exist yet;
 * - `'any'`: no check;
 * - a number: the stream's current version (0-based index of its last event) must equal it.
 */
export type ExpectedVersion = 'no_stream' | 'any' | number;

export type AppendResult = Readonly<{
  /** The stream's version after the append (index of its last event). */
  nextExpectedVersion: number;
}>;

/** One stream's part of an atomic multi-stream append. */
export type StreamAppend = Readonly<{
  streamId: string;
  events: readonly DomainEvent[];
  /** 'any' is not offered: an atomic append checks every stream. */
  expectedVersion: 'no_stream' | number;
  metadata?: EventMetadata;
}>;

export type ReadStreamResult<E extends DomainEvent> = Readonly<{
  events: RecordedEvent<E>[];
  /** Version of the last event, or -1 when the stream does not exist. */
  currentVersion: number;
}>;

export type ReadAllResult = Readonly<{
  events: RecordedEvent[];
  /** Where to continue; equals the input when nothing new was readable. */
  checkpoint: Checkpoint;
}>;

export interface EventStore {
  append<E extends DomainEvent>(
    streamId: string,
    events: readonly E[],
    options: { expectedVersion: ExpectedVersion; metadata?: EventMetadata },
  ): Promise<AppendResult>;
  /**
   * Optional. Appends to several distinct streams at once: all or none (one commit). A failed expectation
   * throws ConcurrencyConflictError for the first such stream and writes nothing. Results in input order.
   */
  appendMany?(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  readStream<E extends DomainEvent>(streamId: string): Promise<ReadStreamResult<E>>;
  /**
   * Events after `from` in global order, at most `limit`. Never skips an event that commits
   * later with an earlier position: what is returned is final.
   */
  readAll(from: Checkpoint, limit: number): Promise<ReadAllResult>;
  /**
   * Optional. Resolves to a check that turns true once `readAll` can return every event committed
   * before this call (PostgreSQL: once the transactions in flight at the call have ended). Projections
   * use it for read-your-writes.
   */
  visibilityBarrier?(): Promise<() => Promise<boolean>>;
  close(): Promise<void>;
}

/** A concurrent writer changed the stream first. Map to 409/412 at the HTTP edge. */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId}: expected version ${String(expected)}, actual ${actual}`);
  }
}
