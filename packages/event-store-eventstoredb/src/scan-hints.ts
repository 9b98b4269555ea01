// readAll filters $all to the service's own streams on the client, and its checkpoint may only move
// to an event it returns. A service that is idle while others write would thus re-read the same
// growing tail of foreign events on every poll. A hint remembers, per checkpoint, how far $all was
// already read without finding one of our events: $all only grows at its end, so the next read from
// that checkpoint can start there. Bounded, so a long-running process keeps a few entries only.
import type { Checkpoint } from '@wor/event-store';
import { comparePositions, type LogPosition } from './mapping';

export type ScanHints = Readonly<{
  /** Where reading after `from` may continue (exclusive), if known. */
  get(from: Checkpoint): LogPosition | undefined;
  /** Nothing of ours lies after `from` up to and including `scannedTo`. */
  set(from: Checkpoint, scannedTo: LogPosition): void;
  readonly size: number;
}>;

export const createScanHints = (capacity = 64): ScanHints => {
  const hints = new Map<Checkpoint, LogPosition>(); // insertion order = least recently used first
  return {
    get(from) {
      const hint = hints.get(from);
      if (hint !== undefined) {
        hints.delete(from);
        hints.set(from, hint);
      }
      return hint;
    },
    set(from, scannedTo) {
      const known = hints.get(from);
      if (known !== undefined && comparePositions(known, scannedTo) >= 0) return;
      hints.delete(from);
      hints.set(from, scannedTo);
      while (hints.size > capacity) hints.delete(hints.keys().next().value as Checkpoint);
    },
    get size() {
      return hints.size;
    },
  };
};
