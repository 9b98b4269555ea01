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
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';
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

/** The municipality's referrals as of $2 (not entered in error), with every step as of $2. */
const FACTS = `SELECT referral_id, practice_id, referrer_role, reasons, age_band, sex, requested_at,
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
    CASE WHEN feedback_pos <= $2 THEN feedback_at END AS feedback_at
  FROM referral_facts
  WHERE municipality = $1 AND requested_pos <= $2 AND (error_pos IS NULL OR error_pos > $2)`;

const STAGE = `CASE WHEN closed_as IS NOT NULL THEN closed_as WHEN rejected_at IS NOT NULL THEN 'rejected'
  WHEN intake_on IS NOT NULL THEN 'intake-held' WHEN first_contact_at IS NOT NULL THEN 'contacted'
  WHEN accepted_at IS NOT NULL THEN 'accepted' ELSE 'requested' END`;

const localDay = (column: string) => `(${column} AT TIME ZONE 'Europe/Amsterdam')::date`;

/**
 * Runs `fn` in one repeatable-read snapshot, with room to sort a year's referrals in memory. The
 * figures need it: they are computed from two temporary tables that live until its commit.
 */
export const withSnapshot = <T>(pool: Pool, fn: (tx: PoolClient) => Promise<T>): Promise<T> =>
  withTransaction(
    pool,
    async (tx) => {
      await tx.query(`SET LOCAL work_mem = '64MB'`);
      return fn(tx);
    },
    { isolation: 'repeatable read' },
  );

/**
 * The two cohorts as of the position, copied once into temporary tables (dropped at commit), so each
 * figure reads a narrow, already filtered set instead of the whole fact table again.
 */
const cohorts = async (tx: PoolClient, params: unknown[]): Promise<void> => {
  const shape = FACTS.replaceAll('$2', '0').replace('WHERE municipality = $1', 'WHERE false AND municipality IS NULL');
  for (const [table, where] of [
    ['period_requested', IN_PERIOD('requested_at')],
    ['period_closed', `closed_pos <= $2 AND ${IN_PERIOD('closed_at')}`],
  ] as const) {
    await tx.query(`CREATE TEMP TABLE ${table} ON COMMIT DROP AS ${shape}`);
    await tx.query(`INSERT INTO ${table} ${FACTS} AND ${where}`, params);
  }
};

/** Computes the figures; `tx` must be inside a transaction (see withSnapshot). */
/** The queries of one computation, for progress: the period's facts, then one query per group of figures. */
export const INDICATOR_STEPS = 12;

export const computeIndicators = async (
  db: PoolClient,
  scope: Scope,
  /** Called after each of the INDICATOR_STEPS queries (progress of a long extract). */
  step: () => void = () => undefined,
): Promise<Indicators> => {
  const params = [scope.municipality, scope.asOf, scope.period.from, scope.period.until];
  await cohorts(db, params);
  step();
  const requested = `WITH f AS (SELECT * FROM period_requested)`;
  const closed = `WITH f AS (SELECT * FROM period_closed)`;

  // One scan, grouped by each dimension (GROUPING SETS), plus the overlapping reasons.
  const dims = await db.query<{ dim: string; key: string; n: string }>(
    `${requested}, g AS (
       SELECT practice_id, referrer_role, age_band, sex, ${STAGE} AS stage,
              CASE WHEN feedback_at IS NULL THEN 'not-sent' ELSE 'sent' END AS feedback,
              CASE WHEN on_hold_at IS NULL THEN 'no' ELSE 'yes' END AS on_hold FROM f)
     SELECT CASE WHEN GROUPING(practice_id) = 0 THEN 'practice' WHEN GROUPING(referrer_role) = 0 THEN 'role'
                 WHEN GROUPING(age_band) = 0 THEN 'age' WHEN GROUPING(sex) = 0 THEN 'sex' WHEN GROUPING(stage) = 0 THEN 'stage'
                 WHEN GROUPING(feedback) = 0 THEN 'feedback' WHEN GROUPING(on_hold) = 0 THEN 'on-hold' ELSE 'total' END AS dim,
            COALESCE(practice_id, referrer_role, age_band, sex, stage, feedback, on_hold, '') AS key, count(*) AS n
     FROM g GROUP BY GROUPING SETS ((practice_id), (referrer_role), (age_band), (sex), (stage), (feedback), (on_hold), ())
     UNION ALL
     SELECT 'reason', reason, count(*) FROM f, unnest(reasons) AS reason GROUP BY reason`,
    [],
  );
  step();
  const of = (dim: string) => dims.rows.filter((r) => r.dim === dim);
  const total = Number(of('total')[0]?.n ?? 0);

  // Local calendar days from the request to each step, one scan.
  const times = await db.query<Record<string, string | null>>(
    `${requested}, d AS (
       SELECT ${localDay('accepted_at')} - ${localDay('requested_at')} AS a,
              ${localDay('first_contact_at')} - ${localDay('requested_at')} AS c,
              intake_on - ${localDay('requested_at')} AS i FROM f)
     SELECT ${['a', 'c', 'i']
       .map(
         (x) =>
           `count(${x}) AS ${x}_n, avg(${x}) AS ${x}_mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY ${x}) AS ${x}_median`,
       )
       .join(', ')} FROM d`,
    [],
  );
  step();
  const t = times.rows[0] ?? {};
  const timeTo = (
    [
      ['acceptance', 'a'],
      ['first-contact', 'c'],
      ['intake', 'i'],
    ] as const
  ).map(([step, x]) => ({
    step,
    n: Number(t[`${x}_n`] ?? 0),
    mean: round1(num(t[`${x}_mean`])),
    median: round1(num(t[`${x}_median`])),
  }));

  const sizes = await db.query<{ practice_id: string; registered_patients: number }>(
    `SELECT DISTINCT ON (practice_id) practice_id, registered_patients FROM practice_list_sizes
     WHERE municipality = $1 AND position <= $2 ORDER BY practice_id, position DESC`,
    [scope.municipality, scope.asOf],
  );
  step();
  const byPractice = complete(
    sizes.rows.map((r) => r.practice_id),
    of('practice'),
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

  const closures = await db.query<{ dim: string; key: string; n: string }>(
    `${closed}, g AS (
       SELECT closed_as || ':' || closure_reason AS outcome,
              CASE WHEN coach_hours IS NULL THEN NULL WHEN coach_hours < ${COACH_HOURS_NORM.min} THEN 'under-7'
                   WHEN coach_hours <= ${COACH_HOURS_NORM.max} THEN '7-10' ELSE 'over-10' END AS hours FROM f)
     SELECT CASE WHEN GROUPING(outcome) = 0 THEN 'outcome' WHEN GROUPING(hours) = 0 THEN 'hours' ELSE 'total' END AS dim,
            COALESCE(outcome, hours, '') AS key, count(*) AS n
     FROM g GROUP BY GROUPING SETS ((outcome), (hours), ())`,
    [],
  );
  step();
  const closedOf = (dim: string) => closures.rows.filter((r) => r.dim === dim && !(dim === 'hours' && r.key === ''));
  const closureStats = await db.query<{ n: string; mean: string | null; median: string | null }>(
    `${closed} SELECT count(coach_hours) AS n, avg(coach_hours) AS mean,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY coach_hours) AS median FROM f WHERE coach_hours IS NOT NULL`,
    [],
  );
  step();
  // Positieve Gezondheid: closure minus intake per dimension, over referrals measured at both.
  // numeric, not float: an exact sum does not depend on the scan order, so regenerating as of the
  // same position gives the same digits.
  const dimensions = PositiveHealthDimension.options;
  const change = (d: string) => {
    const i = dimensions.indexOf(d as (typeof dimensions)[number]) + 1;
    return `(closure_health[${i}] - intake_health[${i}])`;
  };
  const health = await db.query<Record<string, string | null>>(
    `${closed} SELECT count(*) AS n, ${dimensions.map((d, i) => `avg(${change(d)}) AS d${i}`).join(', ')}
     FROM f WHERE intake_health IS NOT NULL AND closure_health IS NOT NULL`,
    [],
  );
  step();
  const h = health.rows[0] ?? {};
  const gas = await db.query<{ key: string; n: string }>(
    `${closed} SELECT score::text AS key, count(*) AS n FROM f, unnest(gas_scores) AS score GROUP BY score`,
    [],
  );
  step();
  const gasCounts = complete(['-2', '-1', '0', '1', '2'], gas.rows);
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

  const quality = await db.query<{ errors: string; waiting: string; open: string }>(
    `SELECT
       (SELECT count(*) FROM referral_facts WHERE municipality = $1 AND requested_pos <= $2 AND error_pos <= $2 AND ${IN_PERIOD('requested_at')}) AS errors,
       (SELECT count(*) FROM referral_facts WHERE (requested_pos IS NULL OR requested_pos > $2)
          AND LEAST(accepted_pos, rejected_pos, coach_assigned_pos, first_contact_pos, intake_pos, on_hold_pos, closed_pos, feedback_pos, error_pos) <= $2) AS waiting,
       (SELECT count(*) FROM period_requested WHERE closed_as IS NULL AND rejected_at IS NULL) AS open`,
    params,
  );
  step();
  const q = quality.rows[0];

  return {
    referrals: {
      total,
      byPractice,
      byReferrerRole: complete(ReferrerRole.options, of('role')),
      byReason: complete(ReferralReason.options, of('reason')),
      byAgeBand: complete(AgeBand.options, of('age')),
      bySex: complete(Sex.options, of('sex')),
      byStage: complete(STAGES, of('stage')),
      feedback: complete(['sent', 'not-sent'], of('feedback')),
      everOnHold: Number(of('on-hold').find((r) => r.key === 'yes')?.n ?? 0),
    },
    timeTo,
    practices,
    closures: {
      total: Number(closedOf('total')[0]?.n ?? 0),
      byOutcome: complete(OUTCOMES, closedOf('outcome')),
      coachHoursBand: complete(['under-7', '7-10', 'over-10'], closedOf('hours')),
      coachHours: {
        n: Number(closureStats.rows[0]?.n ?? 0),
        mean: round1(num(closureStats.rows[0]?.mean)),
        median: round1(num(closureStats.rows[0]?.median)),
      },
      positiveHealth: {
        n: Number(h.n ?? 0),
        // The mean over referrals of the mean over dimensions equals the mean of the dimensions' means.
        meanChange:
          Number(h.n ?? 0) === 0
            ? null
            : round1(dimensions.reduce((sum, _d, i) => sum + Number(h[`d${i}`]), 0) / dimensions.length),
        byDimension: dimensions.map((dimension, i) => ({ dimension, meanChange: round1(num(h[`d${i}`])) })),
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
      enteredInError: Number(q?.errors ?? 0),
      stepsAwaitingRequest: Number(q?.waiting ?? 0),
      openReferrals: Number(q?.open ?? 0),
      practicesWithoutListSize: practices.filter((p) => p.registeredPatients === null).length,
    },
  };
};
