// The monitoring figures of one municipality and period, as of a log position, computed from the
// fact rows (distinct referrals, never sums of stored period counts). A column counts only when the
// event that set it is at or before the position; a referral entered in error by then counts nowhere.
// Periods are local (Europe/Amsterdam) date ranges; day counts are local calendar days.
import {
  AgeBand,
  PositiveHealthDimension,
  CompletionOutcome,
  FailureReason,
  CancellationSource,
  ReferralReason,
  ReferrerRole,
  Sex,
} from '@wor/contracts';
import type { ClientBase } from 'pg';
import {
  AS_OF,
  DIMENSION_COLUMNS,
  IN_PERIOD,
  MEANS,
  maskOf,
  onePass,
  SETS,
  SLICE_MIN_BLOCKS,
  type Column,
  type Dimension,
  type Group,
  type SetName,
} from './one-pass';
import type { Alongside } from './snapshot';
import { type Period, shareOfYear } from '../periods/period';

export type Scope = Readonly<{ municipality: string; period: Period; asOf: number }>;

export type Counts = { category: string; count: number }[];

export type TimeToStep = {
  step: 'acceptance' | 'first-contact' | 'intake';
  n: number;
  mean: number | null;
  median: number | null;
};

export type PracticeFigure = {
  practiceId: string;
  referrals: number;
  registeredPatients: number | null;
  /** Referrals a practice of this size is expected to make in the period: 0.3–0.8% a year, pro rata by days. */
  expectedMin: number | null;
  expectedMax: number | null;
  /** Referrals per 100 registered patients, annualised. */
  yearlyRatePercent: number | null;
};

export type Indicators = {
  referrals: {
    total: number;
    byPractice: Counts;
    byReferrerRole: Counts;
    byReason: Counts;
    byAgeBand: Counts;
    bySex: Counts;
    byStage: Counts;
    feedback: Counts;
    everOnHold: number;
  };
  timeTo: TimeToStep[];
  practices: PracticeFigure[];
  closures: {
    total: number;
    byOutcome: Counts;
    coachHoursBand: Counts;
    coachHours: { n: number; mean: number | null; median: number | null };
    positiveHealth: {
      n: number;
      meanChange: number | null;
      byDimension: { dimension: string; meanChange: number | null }[];
    };
    gas: { goals: number; byScore: Counts; mean: number | null };
  };
  consent: { given: number; withdrawn: number };
  accessDenials: { total: number; byRole: Counts };
  socialMap: { links: number; byService: Counts };
  quality: {
    enteredInError: number;
    stepsAwaitingRequest: number;
    openReferrals: number;
    practicesWithoutListSize: number;
  };
};

export const YEARLY_EXPECTATION = { min: 0.003, max: 0.008 } as const;

export const STAGES = [
  'requested',
  'accepted',
  'contacted',
  'intake-held',
  'rejected',
  'completed',
  'failed',
  'cancelled',
] as const;
const OPEN_STAGES = STAGES.slice(0, 4);
export const OUTCOMES = [
  ...CompletionOutcome.options.map((o) => `completed:${o}`),
  ...FailureReason.options.map((o) => `failed:${o}`),
  ...CancellationSource.options.map((o) => `cancelled:${o}`),
];

const round1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
const num = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));

/** Every category of a vocabulary in its fixed order, zero when absent: stable output. */
const complete = (categories: readonly string[], rows: { key: string; n: string }[]): Counts => {
  const counts = new Map(rows.map((r) => [r.key, Number(r.n)]));
  const extra = [...counts.keys()].filter((k) => !categories.includes(k)).sort();
  return [...categories, ...extra].map((category) => ({ category, count: counts.get(category) ?? 0 }));
};

/** The municipality's referrals as of $2 (not entered in error), with every step as of $2. */
const FACTS = `SELECT ${AS_OF} FROM referral_facts
  WHERE municipality = $1 AND requested_pos <= $2 AND (error_pos IS NULL OR error_pos > $2)`;

/** The position of a referral's first step other than its request (a partial index holds the early ones). */
export const FIRST_STEP = `LEAST(accepted_pos, rejected_pos, coach_assigned_pos, first_contact_pos, intake_pos, on_hold_pos, closed_pos, feedback_pos, error_pos)`;
export const STEP_BEFORE_REQUEST = `(requested_pos IS NULL OR ${FIRST_STEP} < requested_pos)`;

export { withSnapshot } from './snapshot';
export { COACH_HOURS_NORM } from './one-pass';

const dimensions = PositiveHealthDimension.options;

/** percentile_cont(0.5) over a histogram, with PostgreSQL's float8 arithmetic. */
const median = (histogram: { value: number; n: number }[]): number | null => {
  const sorted = histogram.filter((h) => h.n > 0).sort((x, y) => x.value - y.value);
  const rows = sorted.reduce((s, h) => s + h.n, 0);
  if (rows === 0) return null;
  const at = (row: number) => {
    let seen = 0;
    for (const h of sorted) if ((seen += h.n) > row) return h.value;
    return sorted[sorted.length - 1]!.value;
  };
  const pos = 0.5 * (rows - 1);
  const first = Math.floor(pos);
  const second = Math.ceil(pos);
  const lo = at(first);
  return second > first ? lo + (at(second) - lo) * (pos - first) : lo;
};

/** The queries of one computation, for progress: the one pass, then the smaller figures. */
export const INDICATOR_STEPS = 6;

/** Computes the figures; `db` must be inside a transaction (see withSnapshot). */
export type IndicatorOptions = Readonly<{
  /** Called after each of the INDICATOR_STEPS queries (progress of a long extract). */
  step?: () => void;
  /** Connections sharing `db`'s snapshot (withSnapshot), for the one pass in slices. */
  alongside?: Alongside;
  /** A table of fewer blocks is read in one slice (tests set 0 to slice a small one). */
  sliceMinBlocks?: number;
}>;

export const computeIndicators = async (
  db: ClientBase,
  scope: Scope,
  options: IndicatorOptions = {},
): Promise<Indicators> => {
  const step = options.step ?? (() => undefined);
  const params = [scope.municipality, scope.asOf, scope.period.from, scope.period.until];
  const groups = await onePass(db, options.alongside, options.sliceMinBlocks ?? SLICE_MIN_BLOCKS, params);
  step();
  const setRows = (set: SetName) => groups.filter((g) => g.mask === maskOf(SETS[set]));
  type Cohort = 'req' | 'clo';
  /** Referrals per key, summed over a set's rows; no row for a key nobody has (as GROUP BY). */
  const countBy = (set: SetName, cohort: Cohort, keys: (g: Group) => (string | null)[]) => {
    const counts = new Map<string | null, number>();
    for (const g of setRows(set)) {
      const n = Number(g[cohort]);
      if (n > 0) for (const key of keys(g)) counts.set(key, (counts.get(key) ?? 0) + n);
    }
    return [...counts].map(([key, n]) => ({ key: key as string, n: String(n) }));
  };
  const text = (column: Column) => (g: Group) => [(g[column] as string | null) ?? ''];
  const all = groups.find((g) => g.mask === maskOf(SETS.total));
  const total = Number(all?.req ?? 0);
  const of = (column: Column) => countBy('profile', 'req', text(column));

  /** Count, mean and median of one column of a set, over the cohort (and rows where `only` holds). */
  const statistic = (set: SetName, column: Column | Dimension, only?: Column) => {
    const cohort = MEANS[column]!;
    const rows = setRows(set).filter((g) => (only === undefined || g[only] === true) && Number(g[cohort]) > 0);
    const values = rows
      .filter((g) => g[column] !== null)
      .map((g) => ({ value: Number(g[column]), n: Number(g[cohort]) }));
    const mean = rows[0]?.[`${column}_mean`] ?? null;
    return {
      rows: rows.reduce((s, g) => s + Number(g[cohort]), 0),
      n: values.reduce((s, v) => s + v.n, 0),
      rawMean: mean,
      mean: round1(num(mean)),
      median: round1(median(values)),
    };
  };
  const timeTo = (
    [
      ['acceptance', 'a'],
      ['first-contact', 'c'],
      ['intake', 'i'],
    ] as const
  ).map(([step, x]) => {
    const s = statistic('days', x);
    return { step, n: s.n, mean: s.mean, median: s.median };
  });

  const sizes = await db.query<{ practice_id: string; registered_patients: number }>(
    `SELECT DISTINCT ON (practice_id) practice_id, registered_patients FROM practice_list_sizes
     WHERE municipality = $1 AND position <= $2 ORDER BY practice_id, position DESC`,
    [scope.municipality, scope.asOf],
  );
  step();
  const byPractice = complete(
    sizes.rows.map((r) => r.practice_id),
    countBy('practice', 'req', text('practice_id')),
  ).sort((a, b) => a.category.localeCompare(b.category));
  const share = shareOfYear(scope.period);
  const practices = byPractice.map(({ category, count }): PracticeFigure => {
    const size = sizes.rows.find((r) => r.practice_id === category)?.registered_patients ?? null;
    return {
      practiceId: category,
      referrals: count,
      registeredPatients: size,
      expectedMin: size === null ? null : round1(size * YEARLY_EXPECTATION.min * share),
      expectedMax: size === null ? null : round1(size * YEARLY_EXPECTATION.max * share),
      yearlyRatePercent: size ? Math.round((count / size / share) * 100 * 100) / 100 : null,
    };
  });

  const outcome = (g: Group) => [
    g.closed_as === null || g.closure_reason === null ? '' : `${g.closed_as as string}:${g.closure_reason as string}`,
  ];
  const closedTotal = Number(all?.clo ?? 0);
  const coachHours = statistic('outcome', 'coach_hours');
  // Positieve Gezondheid: closure minus intake per dimension, over referrals measured at both; the
  // means are exact numeric sums, so regenerating as of the same position gives the same digits.
  const health = DIMENSION_COLUMNS.map((d) => statistic('health', d, 'measured'));
  const measured = health[0]?.rows ?? 0;
  const gasCounts = complete(
    ['-2', '-1', '0', '1', '2'],
    countBy('gas', 'clo', (g) =>
      ((g.gas_scores as (number | null)[] | null) ?? []).map((s) => (s === null ? null : String(s))),
    ),
  );
  const goals = gasCounts.reduce((s, c) => s + c.count, 0);

  // Consent events carry no municipality from the consent service; a consent belongs to the
  // municipality its event names or, failing that, of the referrals made under it.
  const consent = await db.query<{ given: string; withdrawn: string }>(
    `SELECT count(*) FILTER (WHERE given_pos <= $2 AND ${IN_PERIOD('given_at')}) AS given,
            count(*) FILTER (WHERE withdrawn_pos <= $2 AND ${IN_PERIOD('withdrawn_at')}) AS withdrawn
     FROM consent_facts c
     WHERE c.municipality = $1 OR (c.municipality IS NULL AND EXISTS (
       SELECT 1 FROM referral_facts r WHERE r.consent_id = c.consent_id AND r.municipality = $1 AND r.requested_pos <= $2))`,
    params,
  );
  step();
  const denials = await db.query<{ key: string; n: string }>(
    `SELECT role AS key, count(*) AS n FROM access_denials WHERE municipality = $1 AND position <= $2 AND ${IN_PERIOD('accessed_at')} GROUP BY role`,
    params,
  );
  step();
  const denialsByRole = complete([], denials.rows);
  const links = await db.query<{ key: string; n: string }>(
    `WITH f AS (${FACTS})
     SELECT COALESCE(s.name, 'unknown service') || ' (' || l.service_id || ')' AS key, count(*) AS n
     FROM activity_links l JOIN f ON f.referral_id = l.referral_id
     LEFT JOIN social_map_services s ON s.service_id = l.service_id AND s.published_pos <= $2
     WHERE l.position <= $2 AND ${IN_PERIOD('l.linked_at')} GROUP BY 1`,
    params,
  );
  step();
  const linksByService = complete([], links.rows);

  // Steps recorded before their request, in every municipality (such a row has no municipality
  // yet). The first condition is implied by the others; it names the partial index that holds them.
  const waiting = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM referral_facts WHERE ${STEP_BEFORE_REQUEST}
       AND (requested_pos IS NULL OR requested_pos > $1) AND ${FIRST_STEP} <= $1`,
    [scope.asOf],
  );
  step();
  const byStage = complete(STAGES, of('stage'));
  // Open: neither closed nor rejected, the stages before those.
  const open = byStage
    .filter((s) => (OPEN_STAGES as readonly string[]).includes(s.category))
    .reduce((sum, s) => sum + s.count, 0);

  return {
    referrals: {
      total,
      byPractice,
      byReferrerRole: complete(ReferrerRole.options, of('referrer_role')),
      byReason: complete(
        ReferralReason.options,
        countBy('reasons', 'req', (g) => (g.reasons as (string | null)[] | null) ?? []),
      ),
      byAgeBand: complete(AgeBand.options, of('age_band')),
      bySex: complete(Sex.options, of('sex')),
      byStage,
      feedback: complete(['sent', 'not-sent'], of('feedback')),
      everOnHold: Number(of('on_hold').find((r) => r.key === 'yes')?.n ?? 0),
    },
    timeTo,
    practices,
    closures: {
      total: closedTotal,
      byOutcome: complete(OUTCOMES, countBy('outcome', 'clo', outcome)),
      coachHoursBand: complete(
        ['under-7', '7-10', 'over-10'],
        countBy('outcome', 'clo', text('hours')).filter((r) => r.key !== ''),
      ),
      coachHours: { n: coachHours.n, mean: coachHours.mean, median: coachHours.median },
      positiveHealth: {
        n: measured,
        // The mean over referrals of the mean over dimensions equals the mean of the dimensions' means.
        meanChange:
          measured === 0 ? null : round1(health.reduce((sum, d) => sum + Number(d.rawMean), 0) / dimensions.length),
        byDimension: dimensions.map((dimension, k) => ({ dimension, meanChange: health[k]!.mean })),
      },
      gas: {
        goals,
        byScore: gasCounts,
        mean: goals === 0 ? null : round1(gasCounts.reduce((s, c) => s + Number(c.category) * c.count, 0) / goals),
      },
    },
    consent: { given: Number(consent.rows[0]?.given ?? 0), withdrawn: Number(consent.rows[0]?.withdrawn ?? 0) },
    accessDenials: { total: denialsByRole.reduce((s, c) => s + c.count, 0), byRole: denialsByRole },
    socialMap: { links: linksByService.reduce((s, c) => s + c.count, 0), byService: linksByService },
    quality: {
      enteredInError: Number(all?.err ?? 0),
      stepsAwaitingRequest: Number(waiting.rows[0]?.n ?? 0),
      openReferrals: open,
      practicesWithoutListSize: practices.filter((p) => p.registeredPatients === null).length,
    },
  };
};
