// Statistics per municipality ("Statistieken", seed 000): how often each entry is consulted, and how
// often coaches link referrals to it (ActivityLinked from the referral service). Counts per month.
import type { IntegrationEvent } from '@wor/contracts';
import type { Pool, PoolClient } from 'pg';

const MONTH = `to_char(($1::timestamptz) AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM')`;

/** One consultation of an entry's details. Not an event: a counter, not a fact about the map. */
export const recordView = async (pool: Pool, serviceId: string, at: Date): Promise<void> => {
  await pool.query(
    `INSERT INTO map_views (service_id, month, views) VALUES ($2, ${MONTH}, 1)
     ON CONFLICT (service_id, month) DO UPDATE SET views = map_views.views + 1`,
    [at.toISOString(), serviceId],
  );
};

/** Consumer of the referral topic: counts ActivityLinked, ignores every other referral event. */
export const projectReferralLinks = async (event: IntegrationEvent, tx: PoolClient): Promise<void> => {
  if (event.type !== 'ActivityLinked') return;
  await tx.query(
    `INSERT INTO map_links (service_id, month, links) VALUES ($2, ${MONTH}, 1)
     ON CONFLICT (service_id, month) DO UPDATE SET links = map_links.links + 1`,
    [event.data.linkedAt, event.data.serviceId],
  );
};

export type EntryStatistics = { service_id: string; name: string; views: number; referral_links: number };

export const statisticsFor = async (
  pool: Pool,
  municipality: string,
  from: string,
  to: string,
): Promise<EntryStatistics[]> => {
  const { rows } = await pool.query<EntryStatistics>(
    `SELECT s.id AS service_id, s.name,
       coalesce((SELECT sum(views) FROM map_views v WHERE v.service_id = s.id AND v.month BETWEEN $2 AND $3), 0)::int AS views,
       coalesce((SELECT sum(links) FROM map_links l WHERE l.service_id = s.id AND l.month BETWEEN $2 AND $3), 0)::int AS referral_links
     FROM map_services s WHERE s.municipality = $1
     ORDER BY referral_links DESC, views DESC, s.name`,
    [municipality, from, to],
  );
  return rows;
};
