// The GALA/RIVM extract of one municipality and period, as of a log position: the monitoring
// figures with small cells suppressed, in JSON or CSV.
//
// Reproducible: the figures depend only on the log up to the position, and the extract's time is
// the time reporting stored the event at that position (`received_at`, which never goes backwards
// along the log), unless the caller names one. The wall clock is never read, so generating "as of"
// the same position again gives the same bytes.
import type { Pool, PoolClient } from 'pg';
import { type Period, TIME_ZONE } from '../periods/period';
import {
  COACH_HOURS_NORM,
  computeIndicators,
  withSnapshot,
  type Counts,
  type Indicators,
  YEARLY_EXPECTATION,
} from '../monitoring/indicators';
import type { Alongside } from '../monitoring/snapshot';
import { type LogPosition, lastPosition, positionAt } from '../received-events/store';
import {
  type Cell,
  type CountTable,
  type PublishedTable,
  suppressCount,
  suppressStatistic,
  suppressTable,
  THRESHOLD,
} from './suppression';

export type Statistic = {
  id: string;
  title: string;
  population: string;
  n: Cell;
  values: { name: string; value: number | null }[];
};

export type PracticeRow = {
  practiceId: string;
  referrals: Cell;
  registeredPatients: number | null;
  expectedMin: number | null;
  expectedMax: number | null;
  yearlyRatePercent: number | null;
  againstExpectation: 'below' | 'within' | 'above' | null;
};

export type Extract = {
  extract: 'wor-gala-monitoring';
  version: 1;
  municipality: string;
  period: { id: string; kind: string; from: string; to: string; timeZone: string; days: number };
  asOf: { position: number; receivedAt: string };
  generatedAt: string;
  suppression: { threshold: number; rule: string };
  dataQuality: string[];
  tables: PublishedTable[];
  statistics: Statistic[];
  practices: { expectationPerYear: { minPercent: number; maxPercent: number }; rows: PracticeRow[] };
};

export class PositionNotReachedError extends Error {
  constructor(
    readonly position: number,
    readonly last: number,
  ) {
    super(`The log has not reached position ${position} (last ${last}).`);
  }
}

const table = (
  id: string,
  title: string,
  population: string,
  total: number,
  rows: Counts,
  partition = true,
): PublishedTable => suppressTable({ id, title, population, partition, total, rows } satisfies CountTable);

const stat = (
  id: string,
  title: string,
  population: string,
  n: number,
  values: [string, number | null][],
): Statistic => ({
  id,
  title,
  population,
  n: suppressCount(n),
  values: values.map(([name, value]) => ({ name, value: suppressStatistic(n, value) })),
});

const REQUESTED = 'referrals requested in the period';
const CLOSED = 'referrals closed in the period';

/** Below, within or above the expected range: published only when the count itself is. */
const against = (referrals: Cell, min: number | null, max: number | null): PracticeRow['againstExpectation'] => {
  if (referrals.value === null || min === null || max === null) return null;
  return referrals.value < min ? 'below' : referrals.value > max ? 'above' : 'within';
};

const qualityNotes = (ind: Indicators, asOf: LogPosition, provisional: boolean): string[] => {
  const few = (n: number) => (n > 0 && n < THRESHOLD ? `fewer than ${THRESHOLD}` : String(n));
  const notes = [
    `Counts of 1 to ${THRESHOLD - 1} are suppressed; in tables whose rows add up to the total, the smallest other non-zero cell is suppressed too. Statistics over fewer than ${THRESHOLD} referrals are suppressed.`,
    `Periods and day counts are in local time (${TIME_ZONE}); days are calendar days from the request.`,
    `Distinct referrals are counted from per-referral facts, not summed over shorter periods.`,
    `${few(ind.quality.enteredInError)} referrals of this period were entered in error and are left out of every figure.`,
    `${few(ind.quality.openReferrals)} referrals of this period were still open at the as-of position; times to a step cover only referrals that reached it.`,
    `Referral reasons overlap (a referral can have several), so their rows add up to more than the total.`,
  ];
  if (provisional)
    notes.push(`The period had not ended when the log reached position ${asOf.position}: the figures are provisional.`);
  if (ind.quality.stepsAwaitingRequest > 0)
    notes.push(
      `${ind.quality.stepsAwaitingRequest} referrals (all municipalities) had steps recorded before their request arrived; they count once the request arrives.`,
    );
  if (ind.quality.practicesWithoutListSize > 0)
    notes.push(
      `${ind.quality.practicesWithoutListSize} practices have no list size recorded: no referral rate for them.`,
    );
  notes.push(
    `Consents count in the municipality their event names or in which a referral used them; consents not used for a referral yet cannot be placed. Access denials count when their entry names the municipality.`,
  );
  return notes;
};

export type ExtractRequest = Readonly<{ municipality: string; period: Period; asOf?: number; generatedAt?: string }>;

/** Builds the extract in one snapshot of the read models. */
/** `step` is called after each of the INDICATOR_STEPS queries (the command line's progress bar). */
export const buildExtract = (pool: Pool, request: ExtractRequest, step?: () => void): Promise<Extract> =>
  withSnapshot(pool, (tx, alongside) => extractIn(tx, alongside, request, step));

const extractIn = async (
  db: PoolClient,
  alongside: Alongside,
  request: ExtractRequest,
  step?: () => void,
): Promise<Extract> => {
  const last = await lastPosition(db);
  const asOfPosition = request.asOf ?? last.position;
  const asOf = asOfPosition === 0 ? last : await positionAt(db, asOfPosition);
  if (!asOf) throw new PositionNotReachedError(asOfPosition, last.position);
  const { period, municipality } = request;
  const ind = await computeIndicators(db, { municipality, period, asOf: asOf.position }, { step, alongside });
  const ended = await db.query<{ provisional: boolean }>(
    `SELECT $1::timestamptz < ($2::timestamp AT TIME ZONE 'Europe/Amsterdam') AS provisional`,
    [asOf.receivedAt, period.until],
  );
  const r = ind.referrals;
  const c = ind.closures;

  const practiceTable = table('referrals-by-practice', 'Referrals per practice', REQUESTED, r.total, r.byPractice);
  const practiceRows = ind.practices.map((p): PracticeRow => {
    const referrals = practiceTable.rows.find((row) => row.category === p.practiceId)!.count;
    return {
      practiceId: p.practiceId,
      referrals,
      registeredPatients: p.registeredPatients,
      expectedMin: p.expectedMin,
      expectedMax: p.expectedMax,
      yearlyRatePercent: referrals.value === null ? null : p.yearlyRatePercent,
      againstExpectation: against(referrals, p.expectedMin, p.expectedMax),
    };
  });

  return {
    extract: 'wor-gala-monitoring',
    version: 1,
    municipality,
    period: {
      id: period.id,
      kind: period.kind,
      from: period.from,
      to: period.to,
      timeZone: TIME_ZONE,
      days: period.days,
    },
    asOf: { position: asOf.position, receivedAt: asOf.receivedAt },
    generatedAt: request.generatedAt ?? asOf.receivedAt,
    suppression: {
      threshold: THRESHOLD,
      rule: 'primary below the threshold; secondary in partitions; statistics over fewer than the threshold',
    },
    dataQuality: qualityNotes(ind, asOf, ended.rows[0]?.provisional ?? true),
    tables: [
      practiceTable,
      table('referrals-by-referrer-role', 'Referrals per referrer role', REQUESTED, r.total, r.byReferrerRole),
      table('referrals-by-reason', 'Referrals per reason (overlapping)', REQUESTED, r.total, r.byReason, false),
      table('referrals-by-age-band', 'Referrals per age band', REQUESTED, r.total, r.byAgeBand),
      table('referrals-by-sex', 'Referrals per sex', REQUESTED, r.total, r.bySex),
      table('referrals-by-stage', 'Status funnel: furthest step reached', REQUESTED, r.total, r.byStage),
      table('feedback-to-referrer', 'Feedback to the referrer sent', REQUESTED, r.total, r.feedback),
      table('closures-by-outcome', 'Outcomes and drop-out reasons', CLOSED, c.total, c.byOutcome),
      table(
        'coach-hours',
        `Coach hours against the ${COACH_HOURS_NORM.min}–${COACH_HOURS_NORM.max} hour norm`,
        `${CLOSED} with coach hours`,
        c.coachHours.n,
        c.coachHoursBand,
      ),
      table(
        'gas-scores',
        'Goal Attainment Scaling at closure (goals)',
        `goals of ${CLOSED}`,
        c.gas.goals,
        c.gas.byScore,
      ),
      table(
        'consents',
        'Consents given and withdrawn',
        'consent events in the period',
        ind.consent.given + ind.consent.withdrawn,
        [
          { category: 'given', count: ind.consent.given },
          { category: 'withdrawn', count: ind.consent.withdrawn },
        ],
      ),
      table(
        'access-denials-by-role',
        'Access denials per role',
        'denied accesses in the period',
        ind.accessDenials.total,
        ind.accessDenials.byRole,
      ),
      table(
        'social-map-use',
        'Activities linked per social-map service',
        'activity links in the period',
        ind.socialMap.links,
        ind.socialMap.byService,
      ),
    ],
    statistics: [
      ...ind.timeTo.map((t) =>
        stat(`days-to-${t.step}`, `Days from referral to ${t.step}`, `${REQUESTED} that reached ${t.step}`, t.n, [
          ['mean', t.mean],
          ['median', t.median],
        ]),
      ),
      stat('coach-hours', 'Coach hours per closed referral', `${CLOSED} with coach hours`, c.coachHours.n, [
        ['mean', c.coachHours.mean],
        ['median', c.coachHours.median],
      ]),
      stat(
        'positive-health-change',
        'Positieve Gezondheid change, closure minus intake',
        `${CLOSED} measured at both`,
        c.positiveHealth.n,
        [
          ['mean-all-dimensions', c.positiveHealth.meanChange],
          ...c.positiveHealth.byDimension.map((d): [string, number | null] => [d.dimension, d.meanChange]),
        ],
      ),
      stat('gas-mean', 'Mean GAS score at closure', `goals of ${CLOSED}`, c.gas.goals, [['mean', c.gas.mean]]),
    ],
    practices: {
      expectationPerYear: { minPercent: YEARLY_EXPECTATION.min * 100, maxPercent: YEARLY_EXPECTATION.max * 100 },
      rows: practiceRows,
    },
  };
};

/** JSON with a fixed key order (object literal order above) and a final newline. */
export const toJson = (extract: Extract): string => `${JSON.stringify(extract, null, 2)}\n`;

const csvField = (value: string | number | null): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const cellValue = (cell: Cell) => cell.value;

/** One long table (RFC 4180, CRLF): section, table, category, measure, value, flag. */
export const toCsv = (extract: Extract): string => {
  const lines: (string | number | null)[][] = [['section', 'table', 'category', 'measure', 'value', 'flag']];
  const meta = (measure: string, value: string | number) => lines.push(['metadata', '', '', measure, value, '']);
  meta('extract', extract.extract);
  meta('version', extract.version);
  meta('municipality', extract.municipality);
  meta('period', extract.period.id);
  meta('period-from', extract.period.from);
  meta('period-to', extract.period.to);
  meta('time-zone', extract.period.timeZone);
  meta('as-of-position', extract.asOf.position);
  meta('as-of-received-at', extract.asOf.receivedAt);
  meta('generated-at', extract.generatedAt);
  meta('suppression-threshold', extract.suppression.threshold);
  extract.dataQuality.forEach((note, i) => lines.push(['data-quality', '', String(i + 1), 'note', note, '']));
  for (const t of extract.tables) {
    lines.push(['table', t.id, 'total', 'count', cellValue(t.total), t.total.flag]);
    for (const row of t.rows) lines.push(['table', t.id, row.category, 'count', cellValue(row.count), row.count.flag]);
  }
  for (const s of extract.statistics) {
    lines.push(['statistic', s.id, '', 'n', cellValue(s.n), s.n.flag]);
    for (const v of s.values)
      lines.push(['statistic', s.id, '', v.name, v.value, v.value === null && s.n.flag ? 'suppressed' : null]);
  }
  for (const p of extract.practices.rows) {
    lines.push(['practice', 'referral-rate', p.practiceId, 'referrals', cellValue(p.referrals), p.referrals.flag]);
    lines.push(['practice', 'referral-rate', p.practiceId, 'registered-patients', p.registeredPatients, null]);
    lines.push(['practice', 'referral-rate', p.practiceId, 'expected-min', p.expectedMin, null]);
    lines.push(['practice', 'referral-rate', p.practiceId, 'expected-max', p.expectedMax, null]);
    lines.push(['practice', 'referral-rate', p.practiceId, 'yearly-rate-percent', p.yearlyRatePercent, null]);
    lines.push(['practice', 'referral-rate', p.practiceId, 'against-expectation', p.againstExpectation, null]);
  }
  return lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';
};
