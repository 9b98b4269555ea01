// The one pass over a municipality's facts behind the monitoring figures (indicators.ts): the groups
// of every grouping set, counted per cohort, read in slices of the table's blocks side by side and
// merged, with the exact means per set.
import { PositiveHealthDimension } from '@wor/contracts';
import type { ClientBase } from 'pg';
import type { Alongside } from './snapshot';

export const COACH_HOURS_NORM = { min: 7, max: 10 } as const;

// $1 municipality, $2 position, $3 first local date, $4 first local date after the period.
export const IN_PERIOD = (column: string) =>
  `${column} >= ($3::timestamp AT TIME ZONE 'Europe/Amsterdam') AND ${column} < ($4::timestamp AT TIME ZONE 'Europe/Amsterdam')`;

/** A referral's columns with every step as of $2. */
export const AS_OF = `referral_id, practice_id, referrer_role, reasons, age_band, sex, requested_at,
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

const STAGE = `CASE WHEN closed_as IS NOT NULL THEN closed_as WHEN rejected_at IS NOT NULL THEN 'rejected'
  WHEN intake_on IS NOT NULL THEN 'intake-held' WHEN first_contact_at IS NOT NULL THEN 'contacted'
  WHEN accepted_at IS NOT NULL THEN 'accepted' ELSE 'requested' END`;

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
export type Column = keyof typeof COLUMN_TYPES;
/** The health change per dimension, taken from the grouped `health` arrays for the figures. */
export type Dimension = `d${number}`;
export const DIMENSION_COLUMNS = dimensions.map((_d, k): Dimension => `d${k}`);

/**
 * The grouping sets. Each costs a hash lookup per referral, so columns of small vocabularies share a
 * set (its groups are their combinations); a figure sums a set's groups by one column (a marginal).
 */
export const SETS = {
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
export type SetName = keyof typeof SETS;

/** Columns whose mean a figure needs, and the cohort it is taken over. */
export const MEANS = {
  a: 'req',
  c: 'req',
  i: 'req',
  coach_hours: 'clo',
  ...Object.fromEntries(DIMENSION_COLUMNS.map((d) => [d, 'clo'])),
} as Record<string, 'req' | 'clo'>;

/** GROUPING(all columns) of a set's rows: a bit for each column it does not group by. */
export const maskOf = (set: readonly Column[]) =>
  COLUMNS.reduce((mask, c, j) => (set.includes(c) ? mask : mask | (1 << (COLUMNS.length - 1 - j))), 0);

export type Group = Record<Column | Dimension, unknown> &
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
export const SLICE_MIN_BLOCKS = 1024;

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
export const onePass = async (
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
