// Records events through the live path (log + projection, one transaction each), as the consumer does.
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool } from 'pg';
import { recordEvent } from '../monitoring/record';
import type { ReportingEvent } from '../received-events/events';

export const recordAll = async (pool: Pool, events: readonly ReportingEvent[]): Promise<void> => {
  for (const event of events) await withTransaction(pool, (tx) => recordEvent(event, tx));
};
