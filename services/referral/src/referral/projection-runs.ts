// Projections of referral events write new referrals in bulk: under load most of a batch is new
// referrals (ReferralRequested), one row each, between access-log entries. Those that follow one another
// (other streams' events in between) become one multi-row INSERT; any other referral event first writes
// the rows waiting before it, so every referral's events apply in order.
import type { RecordedEvent } from '@wor/event-store';
import type { PoolClient } from 'pg';
import type { ReferralEvent } from './events';
import { referralStreamId } from './referral';

const PREFIX = referralStreamId('');

type Requested = Extract<ReferralEvent, { type: 'ReferralRequested' }>;

export type RunHandlers<Row> = Readonly<{
  /** The row a new referral adds. */
  row: (event: Requested, referralId: string, version: number) => Row;
  /** Writes the rows of new referrals that followed one another (at least one). */
  insert: (rows: Row[]) => Promise<unknown>;
  /** Every other event of the batch, in order; those of other streams must not touch the referrals' rows. */
  apply: (recorded: RecordedEvent) => Promise<void>;
}>;

export const projectInRuns = async <Row>(events: readonly RecordedEvent[], handlers: RunHandlers<Row>) => {
  let rows: Row[] = [];
  const flush = async () => {
    if (rows.length > 0) await handlers.insert(rows);
    rows = [];
  };
  for (const recorded of events) {
    if (recorded.streamId.startsWith(PREFIX) && recorded.type === 'ReferralRequested') {
      const event = recorded as unknown as Requested;
      rows.push(handlers.row(event, recorded.streamId.slice(PREFIX.length), recorded.streamVersion));
      continue;
    }
    if (recorded.streamId.startsWith(PREFIX)) await flush();
    await handlers.apply(recorded);
  }
  await flush();
};

/**
 * One INSERT of JSON rows (`columns`: name → SQL type; arrays as JSON arrays) that leaves existing rows
 * alone (a redelivered batch). `table` and `columns` come from code, never from input.
 */
export const insertRows = (
  tx: PoolClient,
  table: string,
  columns: Readonly<Record<string, string>>,
  rows: readonly object[],
) => {
  const names = Object.keys(columns).join(', ');
  const types = Object.entries(columns)
    .map(([name, type]) => `${name} ${type}`)
    .join(', ');
  return tx.query(
    `INSERT INTO ${table} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${types})
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows)],
  );
};
