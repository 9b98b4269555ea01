import { StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import { ConcurrencyConflictError, START } from '@wor/event-store';
import {
  isStreamNotFound,
  isWrongExpectedVersion,
  storedMetadata,
  toConcurrencyConflict,
} from './eventstoredb-event-store';
import {
  comparePositions,
  isAfter,
  parseCheckpoint,
  streamPrefixFor,
  toActualVersion,
  toCheckpoint,
  toExpectedRevision,
  toStreamId,
  toStreamName,
  toStreamVersion,
  validateStreamPrefix,
} from './mapping';
import { createScanHints } from './scan-hints';

const MAX_U64 = (1n << 64n) - 1n;

describe('EventStoreDB position ↔ checkpoint', () => {
  it.each([
    [0n, 0n],
    [1234n, 1200n],
    [MAX_U64, MAX_U64],
    [9_007_199_254_740_993n, 9_007_199_254_740_993n], // beyond Number precision
  ])('round-trips commit %s / prepare %s exactly', (commit, prepare) => {
    const checkpoint = toCheckpoint({ commit, prepare });
    expect(checkpoint).not.toBe(START);
    expect(parseCheckpoint(checkpoint)).toEqual({ commit, prepare });
  });

  it('reads START as the beginning of $all', () => {
    expect(parseCheckpoint(START)).toBeUndefined();
  });

  it.each([
    '12:34', // a PostgreSQL adapter checkpoint, e.g. saved before the service switched stores
    'esdb/1',
    'esdb/-1/0',
    'esdb/1/2/3',
    'esdb/ 1/2',
    `esdb/${MAX_U64 + 1n}/0`,
    'garbage',
  ])('refuses %j with a clear error', (bad) => {
    expect(() => parseCheckpoint(bad)).toThrow(/Invalid checkpoint.*another event store/);
  });

  it('orders positions by commit, then prepare, as $all does; START precedes all', () => {
    const at = (commit: bigint, prepare: bigint) => ({ commit, prepare });
    expect(comparePositions(at(10n, 5n), at(10n, 5n))).toBe(0);
    expect(comparePositions(at(9n, 9n), at(10n, 1n))).toBeLessThan(0);
    expect(comparePositions(at(10n, 2n), at(10n, 1n))).toBeGreaterThan(0);
    // Lexical order of the checkpoint text would get this wrong ("9" > "10").
    expect(comparePositions(at(9n, 0n), at(10n, 0n))).toBeLessThan(0);
    expect(isAfter(at(0n, 0n), undefined)).toBe(true);
    expect(isAfter(at(10n, 5n), at(10n, 5n))).toBe(false);
    expect(isAfter(at(11n, 0n), at(10n, 5n))).toBe(true);
  });
});

describe('expected version ↔ expected revision', () => {
  it.each([
    ['no_stream', 'no_stream'],
    ['any', 'any'],
    [-1, 'no_stream'], // the port's "no stream" as a number
    [0, 0n],
    [41, 41n],
  ] as const)('%j → %j', (version, revision) => {
    expect(toExpectedRevision(version)).toBe(revision);
  });

  it.each([-2, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s as the PostgreSQL adapter does', (bad) => {
    expect(() => toExpectedRevision(bad)).toThrow(RangeError);
  });

  it('maps the current revision of a conflict to the port version (-1: no stream)', () => {
    expect(toActualVersion(7n)).toBe(7);
    expect(toActualVersion(0n)).toBe(0);
    expect(toActualVersion('no_stream')).toBe(-1);
    expect(toActualVersion(-1n)).toBe(-1);
    expect(toActualVersion(undefined)).toBe(-1);
  });

  it('maps the next expected revision after an append', () => {
    expect(toStreamVersion(0n)).toBe(0);
    expect(toStreamVersion(12n)).toBe(12);
    expect(toStreamVersion(-1n)).toBe(-1);
    expect(() => toStreamVersion(1n << 60n)).toThrow(RangeError);
  });
});

describe("the client's errors", () => {
  it('turns a WrongExpectedVersionError into ConcurrencyConflictError with the port versions', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'referral.r-1', expected: 1n, current: 3n });
    expect(isWrongExpectedVersion(error)).toBe(true);
    const conflict = toConcurrencyConflict('r-1', 1, error);
    expect(conflict).toBeInstanceOf(ConcurrencyConflictError);
    expect(conflict).toMatchObject({ streamId: 'r-1', expected: 1, actual: 3, cause: error });
    expect(conflict.message).toContain('r-1');
  });

  it("reports a stream that does not exist as actual -1, keeping the caller's expectation", () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'referral.r-2',
      expected: 0n,
      current: 'no_stream',
    });
    expect(toConcurrencyConflict('r-2', 0, error)).toMatchObject({ streamId: 'r-2', expected: 0, actual: -1 });
    const existing = new WrongExpectedVersionError(undefined, { streamName: 'x', expected: 'no_stream', current: 0n });
    expect(toConcurrencyConflict('x', 'no_stream', existing)).toMatchObject({ expected: 'no_stream', actual: 0 });
  });

  it('recognises a missing stream and nothing else', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'referral.none'))).toBe(true);
    expect(isStreamNotFound(new Error('stream-not-found'))).toBe(false);
    expect(isWrongExpectedVersion(new StreamNotFoundError(undefined, 'x'))).toBe(false);
    expect(isWrongExpectedVersion(undefined)).toBe(false);
  });
});

describe('stream namespaces', () => {
  it('prefixes stream ids and recognises only its own streams', () => {
    expect(toStreamName('referral.', 'referral-42')).toBe('referral.referral-42');
    expect(toStreamId('referral.', 'referral.referral-42')).toBe('referral-42');
    expect(toStreamId('referral.', 'referral_archive.referral-42')).toBeUndefined();
    expect(toStreamId('referral.', '$ce-referral')).toBeUndefined();
    expect(toStreamId('referral.', 'consent.c-1')).toBeUndefined();
  });

  it('derives the prefix from the schema name and refuses prefixes that could overlap or be system streams', () => {
    expect(streamPrefixFor('social_map')).toBe('social_map.');
    for (const bad of ['referral', '$referral.', 'Referral.', 'a.b.', '', '.', 'referral-x.']) {
      expect(() => validateStreamPrefix(bad)).toThrow(/Invalid stream prefix/);
    }
  });

  it('stores only the known metadata keys, as strings', () => {
    const metadata = {
      correlationId: 'c',
      actor: 'a-1',
      name: 'Jan Jansen',
      causationId: 42,
      streamFacts: { municipality: 'GM9999', count: 3 },
    } as never;
    expect(storedMetadata(metadata)).toEqual({
      correlationId: 'c',
      actor: 'a-1',
      streamFacts: { municipality: 'GM9999' },
    });
    expect(storedMetadata(undefined)).toEqual({});
  });
});

describe('scan hints', () => {
  const at = (commit: bigint) => ({ commit, prepare: commit });

  it('remembers how far $all was read after a checkpoint, only ever further', () => {
    const hints = createScanHints();
    expect(hints.get('esdb/1/1')).toBeUndefined();
    hints.set('esdb/1/1', at(50n));
    hints.set('esdb/1/1', at(20n)); // an older, shorter scan must not move the hint back
    expect(hints.get('esdb/1/1')).toEqual(at(50n));
    hints.set('esdb/1/1', at(90n));
    expect(hints.get('esdb/1/1')).toEqual(at(90n));
  });

  it('keeps at most `capacity` entries, dropping the least recently used', () => {
    const hints = createScanHints(2);
    hints.set('a', at(1n));
    hints.set('b', at(2n));
    hints.get('a'); // a is now more recent than b
    hints.set('c', at(3n));
    expect(hints.size).toBe(2);
    expect(hints.get('b')).toBeUndefined();
    expect(hints.get('a')).toEqual(at(1n));
    expect(hints.get('c')).toEqual(at(3n));
  });
});
