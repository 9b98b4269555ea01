// Capacity monitoring against the start-phase plan (seed 003: 10–15 referrals need 100–150 coach hours in
// three months, at 7–10 hours a referral): per welfare organisation the coach hours planned for the period's
// months next to the hours recorded at closure, and the municipality's expected referrals (0.3–0.8 % of its
// practices' list sizes, scaled to the period) next to those received. As of one log position, so it is the
// same figure after a rebuild; counts and hours of fewer than 10 referrals are suppressed like every dashboard.
import type { Pool } from 'pg';
import { thermometer } from '../dashboards/dashboards';
import { buildExtract } from '../extracts/extract';
import { suppressCount, suppressStatistic } from '../extracts/suppression';
import type { Period } from '../periods/period';

/** The months (`YYYY-MM`) a period covers. */
export const monthsOf = (period: Period): string[] => {
  const months: string[] = [];
  for (let [y, m] = period.from.split('-').map(Number) as [number, number]; ; m === 12 ? ((y += 1), (m = 1)) : m++) {
    const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (`${month}-01` >= period.until) return months;
    months.push(month);
  }
};

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Hours recorded for `closed` referrals: none is a shown zero (it describes nobody), under ten are hidden. */
const usedHours = (closed: number, hours: number): number | null =>
  closed === 0 ? 0 : suppressStatistic(closed, round1(hours));

// $1 municipality, $2 position, $3 first local date, $4 first local date after the period.
const IN_PERIOD = (column: string) =>
  `${column} >= ($3::timestamp AT TIME ZONE 'Europe/Amsterdam') AND ${column} < ($4::timestamp AT TIME ZONE 'Europe/Amsterdam')`;

/** Per organisation: referrals from the municipality received in the period, and closed in it with their hours. */
const REFERRALS_BY_ORGANISATION = `
  SELECT recipient_organisation_id AS organisation_id,
         count(*) FILTER (WHERE ${IN_PERIOD('requested_at')})::int AS received,
         count(*) FILTER (WHERE closed_pos <= $2 AND closed_as IN ('completed', 'failed') AND ${IN_PERIOD('closed_at')})::int AS closed,
         coalesce(sum(coach_hours) FILTER (
           WHERE closed_pos <= $2 AND closed_as IN ('completed', 'failed') AND ${IN_PERIOD('closed_at')}), 0)::float AS used
  FROM referral_facts
  WHERE municipality = $1 AND requested_pos <= $2 AND (error_pos IS NULL OR error_pos > $2)
  GROUP BY recipient_organisation_id`;

/** The latest plan (as of $1) of each organisation for each month in $2. */
const PLANS = `
  SELECT DISTINCT ON (organisation_id, month) organisation_id, month, coach_hours::float AS hours,
         expected_hours_per_referral::float AS per_referral
  FROM capacity_plans WHERE position <= $1 AND month = ANY($2)
  ORDER BY organisation_id, month, position DESC`;

export const capacityMonitoring = async (pool: Pool, query: { municipality: string; period: Period }) => {
  const extract = await buildExtract(pool, query);
  const { referrals } = thermometer(extract);
  const position = extract.asOf.position;
  const months = monthsOf(query.period);
  const [byOrganisation, plans] = await Promise.all([
    pool.query<{ organisation_id: string; received: number; closed: number; used: number }>(REFERRALS_BY_ORGANISATION, [
      query.municipality,
      position,
      query.period.from,
      query.period.until,
    ]),
    pool.query<{ organisation_id: string; month: string; hours: number; per_referral: number }>(PLANS, [
      position,
      months,
    ]),
  ]);
  // Organisations that planned for the period or received the municipality's referrals in it.
  const ids = [
    ...new Set([...plans.rows.map((p) => p.organisation_id), ...byOrganisation.rows.map((r) => r.organisation_id)]),
  ].sort();
  const organisations = ids.map((organisationId) => {
    const planned = plans.rows.filter((p) => p.organisation_id === organisationId);
    const actual = byOrganisation.rows.find((r) => r.organisation_id === organisationId);
    const plannedHours = planned.length ? round1(planned.reduce((s, p) => s + p.hours, 0)) : null;
    const closed = actual?.closed ?? 0;
    return {
      organisationId,
      monthsPlanned: planned.map((p) => p.month),
      coachHours: {
        planned: plannedHours,
        used: usedHours(closed, actual?.used ?? 0),
      },
      referrals: {
        // What the plan has room for: each month's hours over its expected hours per referral.
        plannedFor: planned.length ? round1(planned.reduce((s, p) => s + p.hours / p.per_referral, 0)) : null,
        received: suppressCount(actual?.received ?? 0).value,
        closed: suppressCount(closed).value,
      },
    };
  });
  const plannedTotal = organisations.some((o) => o.coachHours.planned !== null)
    ? round1(organisations.reduce((s, o) => s + (o.coachHours.planned ?? 0), 0))
    : null;
  const closedTotal = byOrganisation.rows.reduce((s, r) => s + r.closed, 0);
  const usedTotal = usedHours(
    closedTotal,
    byOrganisation.rows.reduce((s, r) => s + r.used, 0),
  );
  return {
    municipality: extract.municipality,
    period: extract.period,
    asOf: extract.asOf,
    referrals: {
      received: referrals.count,
      expectedMin: referrals.expectedMin,
      expectedMax: referrals.expectedMax,
      light: referrals.light,
    },
    coachHours: {
      planned: plannedTotal,
      used: usedTotal,
      usedPercent: plannedTotal && usedTotal !== null ? round1((usedTotal / plannedTotal) * 100) : null,
    },
    organisations,
  };
};
