// Records events through the live path (log + projection, one transaction each), as the consumer does.
import type { Pool } from 'pg';
import { recordEvent } from '../monitoring/record';
import type { ReportingEvent } from '../received-events/events';

export const recordAll = async (pool: Pool, events: readonly ReportingEvent[]): Promise<void> => {
  const client = await pool.connect();
  try {
    for (const event of events) {
      await client.query('BEGIN');
      await recordEvent(event, client);
      await client.query('COMMIT');
    }
  } finally {
    client.release();
  }
};
