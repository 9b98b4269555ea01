// Referrals per municipality and month, from the referral fact rows (see monitoring/read-models.ts).
// Months are Dutch calendar months (Europe/Amsterdam), as municipalities report them. A referral
// entered in error is not counted.
import type { Pool } from 'pg';

export type MonthCount = { month: string; referrals: number };

export const referralCounts = async (
  pool: Pool,
  municipality: string,
  from: string,
  to: string,
): Promise<MonthCount[]> => {
  const { rows } = await pool.query<{ month: string; referrals: string }>(
    `SELECT month, count(*) AS referrals FROM (
       SELECT to_char(requested_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') AS month FROM referral_facts
       WHERE municipality = $1 AND requested_pos IS NOT NULL AND error_pos IS NULL) m
     WHERE month BETWEEN $2 AND $3 GROUP BY month ORDER BY month`,
    [municipality, from, to],
  );
  return rows.map((r) => ({ month: r.month, referrals: Number(r.referrals) }));
};
