// Read-your-writes for the APIs: a command's new events are projected into the read models at once,
// in a transaction of their own. The catch-up projector applies them again later, which changes
// nothing (inserts ignore conflicts, updates only move a row's version forward). Waiting for the
// projector instead is not enough: the event store hands out events only once every older transaction
// in the database has finished, which on a busy shared database can take seconds.
import type { DomainEvent, RecordedEvent } from '@wor/event-store';
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';

export type Projection = (event: RecordedEvent, tx: PoolClient) => Promise<void>;

export const projectNow = async (
  pool: Pool,
  project: Projection,
  result: { newEvents: readonly DomainEvent[]; nextExpectedVersion: number },
): Promise<void> => {
  const { newEvents, nextExpectedVersion } = result;
  if (newEvents.length === 0) return;
  await withTransaction(pool, async (tx) => {
    for (const [i, event] of newEvents.entries()) {
      const streamVersion = nextExpectedVersion - (newEvents.length - 1 - i);
      await project({ ...event, streamVersion } as RecordedEvent, tx);
    }
  });
};
