// Pure translations between the port and EventStoreDB: checkpoints ↔ $all positions, expected
// versions ↔ expected revisions, port stream ids ↔ namespaced stream names. No client calls here,
// so all of it is unit-tested without a server.
import type { Checkpoint, ExpectedVersion } from '@wor/event-store';
import { START } from '@wor/event-store';

/** A record's place in EventStoreDB's transaction log (the shape the client uses). */
export type LogPosition = Readonly<{ commit: bigint; prepare: bigint }>;

/** What the client accepts as `expectedRevision`. */
export type ExpectedRevision = 'any' | 'no_stream' | bigint;

// Distinct from the PostgreSQL adapter's `<tx>:<pos>`: a checkpoint saved while the service ran on
// the other store is refused with a clear error instead of being misread as a position.
const CHECKPOINT = /^esdb\/(\d{1,20})\/(\d{1,20})$/;
const UINT64_MAX = (1n << 64n) - 1n;

export const toCheckpoint = (position: LogPosition): Checkpoint => `esdb/${position.commit}/${position.prepare}`;

/** `undefined` for START (read from the beginning of $all). */
export const parseCheckpoint = (checkpoint: Checkpoint): LogPosition | undefined => {
  if (checkpoint === START) return undefined;
  const match = CHECKPOINT.exec(checkpoint);
  const commit = match ? BigInt(match[1] as string) : -1n;
  const prepare = match ? BigInt(match[2] as string) : -1n;
  if (!match || commit > UINT64_MAX || prepare > UINT64_MAX) {
    throw new Error(
      `Invalid checkpoint: ${JSON.stringify(checkpoint)} (not an EventStoreDB position; was it saved with another event store?)`,
    );
  }
  return { commit, prepare };
};

/** Order of $all: by commit position, then prepare position. */
export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

/** True when `position` lies after `from` (START lies before everything). */
export const isAfter = (position: LogPosition, from: LogPosition | undefined): boolean =>
  from === undefined || comparePositions(position, from) > 0;

/** Rejects what the port forbids (as the PostgreSQL adapter does) before any network call. */
export const validateExpectedVersion = (expected: ExpectedVersion): void => {
  if (typeof expected === 'number' && !(Number.isInteger(expected) && expected >= -1)) {
    throw new RangeError(`Invalid expected version: ${expected}`);
  }
};

/** The port's expectation in EventStoreDB terms; -1 means "no stream", as in the port. */
export const toExpectedRevision = (expected: ExpectedVersion): ExpectedRevision => {
  validateExpectedVersion(expected);
  if (expected === 'any' || expected === 'no_stream') return expected;
  return expected === -1 ? 'no_stream' : BigInt(expected);
};

/** The current revision a WrongExpectedVersion reports, as the port's version (-1: no stream). */
export const toActualVersion = (current: unknown): number => {
  if (typeof current === 'bigint') return current < 0n ? -1 : Number(current);
  if (typeof current === 'number' && Number.isInteger(current)) return current < 0 ? -1 : current;
  return -1; // 'no_stream' (or absent)
};

/** The port's version after an append (EventStoreDB's next expected revision). */
export const toStreamVersion = (revision: bigint): number => {
  if (revision > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`Stream revision out of range: ${revision}`);
  return revision < 0n ? -1 : Number(revision);
};

// A lowercase name and a dot: no service's prefix is a prefix of another's ('referral.' vs
// 'referral_x.'), the name never starts with '$' (EventStoreDB's system streams) and it reads like a
// PostgreSQL schema name, which is what it replaces.
const STREAM_PREFIX = /^[a-z_][a-z0-9_]{0,62}\.$/;

export const validateStreamPrefix = (prefix: string): string => {
  if (!STREAM_PREFIX.test(prefix)) {
    throw new Error(
      `Invalid stream prefix: ${JSON.stringify(prefix)} (expected a lowercase name and a dot, e.g. "referral.")`,
    );
  }
  return prefix;
};

/** Default namespace of a service's streams: its schema name and a dot. */
export const streamPrefixFor = (schema: string): string => validateStreamPrefix(`${schema}.`);

export const toStreamName = (prefix: string, streamId: string): string => prefix + streamId;

/** The port's stream id of an EventStoreDB stream name, or `undefined` when it is not ours. */
export const toStreamId = (prefix: string, streamName: string): string | undefined =>
  streamName.startsWith(prefix) ? streamName.slice(prefix.length) : undefined;
