// The live path: append to the log and project, in the consumer's transaction.
import type { PoolClient } from 'pg';
import type { ReportingEvent } from '../received-events/events';
import { appendReceived } from '../received-events/store';
import { applyEvent } from './projection';

export const recordEvent = async (event: ReportingEvent, tx: PoolClient): Promise<number | undefined> => {
  const position = await appendReceived(tx, event);
  if (position !== undefined) await applyEvent(event, position, tx);
  return position;
};
