// Referrals per municipality and month, projected from ReferralRequested events.
// Months are Dutch calendar months (Europe/Amsterdam), as municipalities report them.
import type { IntegrationEvent } from '@wor/contracts';
import type { Pool, PoolClient } from 'pg';

export const migrateReferralCounts = async (pool: Pool): Promise<void> => {
  await pool.query(`CREATE TABLE IF NOT EXISTS referral_counts (
    municipality text NOT NULL,
    month text NOT NULL,
    referrals integer NOT NULL,
    PRIMARY KEY (municipality, month))`);
};

export const projectReferralCounts = async (event: IntegrationEvent, tx: PoolClient): Promise<void> => {
  if (event.type !== 'ReferralRequested' || !event.municipality) return;
  await tx.query(
    `INSERT INTO referral_counts (municipality, month, referrals)
     VALUES ($1, to_char($2::timestamptz AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM'), 1)
     ON CONFLICT (municipality, month) DO UPDATE SET referrals = referral_counts.referrals + 1`,
    [event.municipality, event.data.requestedAt],
  );
};

export type MonthCount = { month: string; referrals: number };

export const referralCounts = async (pool: Pool, municipality: string, from: string, to: string): Promise<MonthCount[]> => {
  const { rows } = await pool.query<MonthCount>(
    `SELECT month, referrals FROM referral_counts
     WHERE municipality = $1 AND month BETWEEN $2 AND $3 ORDER BY month`,
    [municipality, from, to],
  );
  return rows;
};
