// The monitoring figures of one municipality and period, as of a log position, computed from the
// fact rows (distinct referrals, never sums of stored period counts). A column counts only when the
// event that set it is at or before the position; a referral entered in error by then counts nowhere.
// Periods are local (Europe/Amsterdam) date ranges; day counts are local calendar days.
import {
  AgeBand,
  CompletionOutcome,
  FailureReason,
  CancellationSource,
  PositiveHealthDimension,
  ReferralReason,
  ReferrerRole,
  Sex,
} from '@wor/contracts';
import type { ClientBase } from 'pg';
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
export const COACH_HOURS_NORM = { min: 7, max: 10 } as const;

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

// $1 municipality, $2 position, $3 first local date, $4 first local date after the period.
const IN_PERIOD = (column: string) =>
  `${column} >= ($3::timestamp AT TIME ZONE 'Europe/Amsterdam') AND ${column} < ($4::timestamp AT TIME ZONE 'Europe/Amsterdam')`;

/** A referral's columns with every step as of $2. */
const AS_OF = `referral_id, practice_id, referrer_role, reasons, age_band, sex, requested_at,
    CASE WHEN accepted_pos <= $2 THEN accepted_at END AS accepted_at,
    CASE WHEN rejected_pos <= $2 THEN rejected_at END AS rejected_at,
    CASE WHEN first_contact_pos <= $2 THEN first_contact_at END AS first_contact_at,
    CASE WHEN intake_pos <= $2 THEN intake_on END AS intake_on,
    CASE WHEN intake_pos <= $2 THEN intake_health END AS intake_health,
    CASE WHEN on_hold_pos <= $2 THEN on_hold_at END AS on_hold_at,
    CASE WHEN closed_pos <= $2 THEN closed_as END AS closed_as,
    CASE WHEN closed_pos <= $2 THEN closed_at END AS closed_at,
    CASE WHEN closed_pos <= $2 THEN closure_reason END AS closure_reason,
    CASE WHEN closed_pos <= $2 THEN coach_hours END AS coach_hours,
    CASE WHEN closed_pos <= $2 THEN closure_health END AS closure_health,
    CASE WHEN closed_pos <= $2 THEN gas_scores END AS gas_scores,
    CASE WHEN feedback_pos <= $2 THEN feedback_at END AS feedback_at`;

/** The municipality's referrals as of $2 (not entered in error), with every step as of $2. */
const FACTS = `SELECT ${AS_OF} FROM referral_facts
  WHERE municipality = $1 AND requested_pos <= $2 AND (error_pos IS NULL OR error_pos > $2)`;

const STAGE = `CASE WHEN closed_as IS NOT NULL THEN closed_as WHEN rejected_at IS NOT NULL THEN 'rejected'
  WHEN intake_on IS NOT NULL THEN 'intake-held' WHEN first_contact_at IS NOT NULL THEN 'contacted'
  WHEN accepted_at IS NOT NULL THEN 'accepted' ELSE 'requested' END`;

/** The position of a referral's first step other than its request (a partial index holds the early ones). */
export const FIRST_STEP = `LEAST(accepted_pos, rejected_pos, coach_assigned_pos, first_contact_pos, intake_pos, on_hold_pos, closed_pos, feedback_pos, error_pos)`;
export const STEP_BEFORE_REQUEST = `(requested_pos IS NULL OR ${FIRST_STEP} < requested_pos)`;

export { withSnapshot } from './snapshot';

const dimensions = PositiveHealthDimension.options;

/**
 * The columns of the one pass over the facts. Each grouping set counts distinct referrals per
 * combination of its columns; a figure is the sums over one column (its marginal). Days, hours and
 * health changes are grouped by value: the histogram gives the exact count, mean and median.
 */
const COLUMN_TYPES = {
  practice_id: 'text',
  referrer_role: 'text',
  age_band: 'text',
  sex: 'text',
  stage: 'text',
  feedback: 'text',
  on_hold: 'text',
  reasons: 'text[]',
  a: 'integer',
  c: 'integer',
  i: 'integer',
  closed_as: 'text',
  closure_reason: 'text',
  hours: 'text',
  coach_hours: 'numeric',
  gas_scores: 'integer[]',
  measured: 'boolean',
  health: 'numeric[]',
} as const;
const COLUMNS = Object.keys(COLUMN_TYPES) as (keyof typeof COLUMN_TYPES)[];
type Column = keyof typeof COLUMN_TYPES;
/** The health change per dimension, taken from the grouped `health` arrays for the figures. */
type Dimension = `d${number}`;
const DIMENSION_COLUMNS = dimensions.map((_d, k): Dimension => `d${k}`);

/**
 * The grouping sets. Each costs a hash lookup per referral, so columns of small vocabularies share a
 * set (its groups are their combinations); a figure sums a set's groups by one column (a marginal).
 */
const SETS = {
  total: [],
  practice: ['practice_id'],
  profile: ['referrer_role', 'age_band', 'sex', 'stage', 'feedback', 'on_hold'],
  reasons: ['reasons'],
  days: ['a', 'c', 'i'],
  outcome: ['closed_as', 'closure_reason', 'hours', 'coach_hours'],
  gas: ['gas_scores'],
  // one array per referral hashes cheaper than a column per dimension
  health: ['measured', 'health'],
} satisfies Record<string, readonly Column[]>;
type SetName = keyof typeof SETS;

/** Columns whose mean a figure needs, and the cohort it is taken over. */
const MEANS = {
  a: 'req',
  c: 'req',
  i: 'req',
  coach_hours: 'clo',
  ...Object.fromEntries(DIMENSION_COLUMNS.map((d) => [d, 'clo'])),
} as Record<string, 'req' | 'clo'>;

/** GROUPING(all columns) of a set's rows: a bit for each column it does not group by. */
const maskOf = (set: readonly Column[]) =>
  COLUMNS.reduce((mask, c, j) => (set.includes(c) ? mask : mask | (1 << (COLUMNS.length - 1 - j))), 0);

type Group = Record<Column | Dimension, unknown> &
  Record<`${string}_mean`, string | null> & { mask: number; req: string; clo: string; err: string };

/**
 * One pass over the municipality's facts in either cohort (an index range per cohort, or one scan for
 * a year), over one slice of the table's blocks: the groups of each grouping set with their counts.
 * A referral entered in error by $2 counts only as such. No temporary table, so the snapshot stays
 * read-only.
 */
const GROUPS = (slice: string) => `
WITH f AS (
  SELECT ${AS_OF}, COALESCE(error_pos <= $2, false) AS erred,
    CASE WHEN accepted_pos <= $2 THEN accepted_days END AS accepted_days,
    CASE WHEN first_contact_pos <= $2 THEN first_contact_days END AS first_contact_days,
    CASE WHEN intake_pos <= $2 THEN intake_days END AS intake_days,
    CASE WHEN closed_pos <= $2 AND intake_pos <= $2 THEN health_change END AS health_change
  FROM referral_facts
  WHERE municipality = $1 AND requested_pos <= $2
    AND (${IN_PERIOD('requested_at')} OR (closed_pos <= $2 AND ${IN_PERIOD('closed_at')})) AND ${slice}),
r AS (
  SELECT NOT erred AND ${IN_PERIOD('requested_at')} AS req, NOT erred AND ${IN_PERIOD('closed_at')} AS clo,
    erred AND ${IN_PERIOD('requested_at')} AS err,
    practice_id, referrer_role, age_band, sex, ${STAGE} AS stage,
    CASE WHEN feedback_at IS NULL THEN 'not-sent' ELSE 'sent' END AS feedback,
    CASE WHEN on_hold_at IS NULL THEN 'no' ELSE 'yes' END AS on_hold, reasons,
    accepted_days AS a, first_contact_days AS c, intake_days AS i,
    closed_as, closure_reason,
    CASE WHEN coach_hours IS NULL THEN NULL WHEN coach_hours < ${COACH_HOURS_NORM.min} THEN 'under-7'
         WHEN coach_hours <= ${COACH_HOURS_NORM.max} THEN '7-10' ELSE 'over-10' END AS hours,
    coach_hours, gas_scores, intake_health IS NOT NULL AND closure_health IS NOT NULL AS measured,
    health_change AS health
  FROM f)
SELECT GROUPING(${COLUMNS.join(', ')}) AS mask, ${COLUMNS.join(', ')},
    count(*) FILTER (WHERE req) AS req, count(*) FILTER (WHERE clo) AS clo, count(*) FILTER (WHERE err) AS err
  FROM r GROUP BY GROUPING SETS (${Object.values(SETS)
    .map((set) => `(${set.join(', ')})`)
    .join(', ')})`;

/**
 * The slices' groups added up, and the means over each set: exact numeric sums of value times count
 * divided as `avg` divides them, in PostgreSQL, so the digits do not depend on the slicing.
 */
const MERGED = `
WITH s AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS s(mask integer, ${COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ')}, req bigint, clo bigint, err bigint)),
g AS (
  SELECT mask, ${COLUMNS.join(', ')}, sum(req)::bigint AS req, sum(clo)::bigint AS clo, sum(err)::bigint AS err
  FROM s GROUP BY mask, ${COLUMNS.join(', ')}),
d AS (SELECT *, ${DIMENSION_COLUMNS.map((c, k) => `health[${k + 1}] AS ${c}`).join(', ')} FROM g)
SELECT *, ${Object.entries(MEANS)
  .map(([c, n]) => `sum(${c} * ${n}) OVER w / NULLIF(sum(${n}) FILTER (WHERE ${c} IS NOT NULL) OVER w, 0) AS ${c}_mean`)
  .join(', ')}
FROM d
WINDOW w AS (PARTITION BY mask)`;

/** A large table is read in this many slices of its blocks side by side (the machine kind has two cores). */
const SLICES = 2;
/** Below this many blocks (8 MB) a second connection costs more than it saves. */
const SLICE_MIN_BLOCKS = 1024;

/** `ctid` ranges covering the whole table; the last is open, so blocks added since are read too. */
const blockSlices = async (db: ClientBase, minBlocks: number): Promise<string[]> => {
  const { rows } = await db.query<{ blocks: string }>(
    `SELECT pg_relation_size('referral_facts') / current_setting('block_size')::int AS blocks`,
  );
  const blocks = Number(rows[0]!.blocks);
  if (blocks < Math.max(minBlocks, SLICES)) return ['true'];
  const size = Math.ceil(blocks / SLICES);
  return Array.from({ length: SLICES }, (_x, k) =>
    k === SLICES - 1 ? `ctid >= '(${k * size},0)'` : `ctid >= '(${k * size},0)' AND ctid < '(${(k + 1) * size},0)'`,
  );
};

/** The groups of the one pass, its slices run on `db` and alongside it, then merged. */
const onePass = async (
  db: ClientBase,
  alongside: Alongside | undefined,
  minBlocks: number,
  params: unknown[],
): Promise<Group[]> => {
  const slices = alongside ? await blockSlices(db, minBlocks) : ['true'];
  const parts = await Promise.all(
    slices.map((slice, k) =>
      k === 0 || !alongside
        ? db.query<Group>(GROUPS(slice), params)
        : alongside((other) => other.query<Group>(GROUPS(slice), params)),
    ),
  );
  return (await db.query<Group>(MERGED, [JSON.stringify(parts.flatMap((p) => p.rows))])).rows;
};

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
