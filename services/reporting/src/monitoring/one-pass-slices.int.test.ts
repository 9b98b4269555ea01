// The one pass in slices: a large facts table is read in block ranges on connections that share the
// extract's snapshot, and the groups are merged. Sliced or not, the figures are the same, what the
// slices read is exactly the snapshot, and the stored day counts and health changes mean what the
// extract computed from the dates and scores before they were stored.
import { Client, type Pool } from 'pg';
import { parsePeriod, type Period } from '../periods/period';
import { reportingSchema } from '../testing/database';
import { computeIndicators, type IndicatorOptions, type Scope } from './indicators';
import { withSnapshot } from './snapshot';

const period = (id: string) => parsePeriod(id) as Period;

// 3,000 referrals over 2026 in GM0001 and GM0002, spread over a few hundred blocks, with every kind
// of value the one pass groups: open and closed ones, entries in error, decimal scores and hours,
// several reasons, steps recorded after the as-of positions the specs use.
const FILL = `
INSERT INTO referral_facts (referral_id, municipality, practice_id, referrer_role, reasons, age_band, sex,
  requested_at, requested_pos, accepted_at, accepted_pos, first_contact_at, first_contact_pos,
  intake_on, intake_health, intake_pos, on_hold_at, on_hold_pos, closed_as, closed_at, closure_reason,
  coach_hours, closure_health, gas_scores, closed_pos, feedback_at, feedback_pos, error_at, error_pos)
SELECT gen_random_uuid(), 'GM000' || (1 + i % 2), 'practice-' || (i % 7),
  (ARRAY['huisarts','poh-ggz','praktijkverpleegkundige'])[1 + i % 3],
  CASE WHEN i % 4 = 0 THEN ARRAY['eenzaamheid','rouw'] ELSE ARRAY['zingeving'] END,
  (ARRAY['18-24','25-44','65-74'])[1 + i % 3], (ARRAY['female','male'])[1 + i % 2],
  t, i * 10, t + (i % 5) * interval '1 day' + interval '20 hours', i * 10 + 1,
  CASE WHEN i % 3 > 0 THEN t + (i % 11) * interval '1 day' END, CASE WHEN i % 3 > 0 THEN i * 10 + 2 END,
  CASE WHEN i % 3 > 0 THEN (t + (i % 17) * interval '1 day')::date END,
  CASE WHEN i % 3 > 0 THEN ARRAY[5, 4.5, 6, 7, 3, 5]::numeric[] END, CASE WHEN i % 3 > 0 THEN i * 10 + 3 END,
  CASE WHEN i % 13 = 0 THEN t + interval '3 days' END, CASE WHEN i % 13 = 0 THEN i * 10 + 4 END,
  CASE WHEN i % 2 = 0 THEN 'completed' END, CASE WHEN i % 2 = 0 THEN t + interval '40 days' END,
  CASE WHEN i % 2 = 0 THEN 'linked-to-activity' END, CASE WHEN i % 2 = 0 THEN 3 + (i % 9) * 0.75 END,
  CASE WHEN i % 2 = 0 AND i % 3 > 0 THEN ARRAY[6, 5.5, 6.5, 8, 4, 5 + i % 3]::numeric[] END,
  CASE WHEN i % 2 = 0 THEN ARRAY[i % 5 - 2, 1] END, CASE WHEN i % 2 = 0 THEN i * 10 + 5 END,
  CASE WHEN i % 5 = 0 THEN t + interval '1 day' END, CASE WHEN i % 5 = 0 THEN i * 10 + 6 END,
  CASE WHEN i % 97 = 0 THEN t + interval '2 days' END, CASE WHEN i % 97 = 0 THEN i * 10 + 7 END
FROM generate_series(1, 3000) AS i,
  LATERAL (SELECT timestamptz '2026-01-01 00:30 Europe/Amsterdam' + i * interval '2 hours 50 minutes' AS t) AS x`;

describe('the one pass in slices (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ pool, close } = await reportingSchema());
    await pool.query(FILL);
  });
  afterAll(() => close());

  const figures = (scope: Scope, options: IndicatorOptions = {}) =>
    withSnapshot(pool, (tx, alongside) => computeIndicators(tx, scope, { alongside, ...options }));
  const sliced = { sliceMinBlocks: 0 };

  it('spans enough blocks for both slices to hold referrals', async () => {
    const { rows } = await pool.query<{ blocks: string }>(
      `SELECT count(DISTINCT (ctid::text::point)[0]) AS blocks FROM referral_facts`,
    );
    expect(Number(rows[0]!.blocks)).toBeGreaterThan(50);
  });

  it.each([
    ['2026', 'GM0001', 30_000],
    ['2026-Q2', 'GM0001', 30_000],
    ['2026-B3', 'GM0002', 30_000],
    ['2026', 'GM0002', 12_345],
    ['2026-Q1', 'GM0001', 4_001],
  ])('gives the same figures for %s of %s as of %i, sliced or in one pass', async (id, municipality, asOf) => {
    const scope = { municipality, period: period(id), asOf };
    const whole = await figures(scope);
    expect(whole.referrals.total).toBeGreaterThan(0);
    expect(await figures(scope, sliced)).toEqual(whole);
  });

  it('reads in the slices exactly what the snapshot holds, not what was committed after it began', async () => {
    const scope = { municipality: 'GM0001', period: period('2026'), asOf: 30_000 };
    const before = await figures(scope);
    const during = await withSnapshot(pool, async (tx, alongside) => {
      await tx.query('SELECT 1');
      // Another session commits referrals once the snapshot exists: neither slice may see them.
      const other = new Client(pool.options);
      await other.connect();
      await other.query(`INSERT INTO referral_facts (referral_id, municipality, practice_id, requested_at, requested_pos)
        SELECT gen_random_uuid(), 'GM0001', 'practice-late', timestamptz '2026-06-01Z', 1 FROM generate_series(1, 500)`);
      await other.end();
      return computeIndicators(tx, scope, { alongside, ...sliced });
    });
    expect(during).toEqual(before);
    expect((await figures(scope, sliced)).referrals.total).toBe(before.referrals.total + 500);
    await pool.query(`DELETE FROM referral_facts WHERE practice_id = 'practice-late'`);
  });

  it('runs a slice on the extract’s own connection when no other connection can be opened', async () => {
    const scope = { municipality: 'GM0002', period: period('2026'), asOf: 30_000 };
    const whole = await figures(scope);
    const options = pool.options as { connectionString: string };
    const url = options.connectionString;
    // Nothing listens on port 1: a new connection fails; the pool's open ones still work.
    const held = await pool.connect();
    held.release();
    options.connectionString = url.replace(/:\d+\//, ':1/');
    try {
      expect(await figures(scope, sliced)).toEqual(whole);
    } finally {
      options.connectionString = url;
    }
  });

  it('counts local calendar days and health changes as computed from the dates and scores themselves', async () => {
    const asOf = 30_000;
    const f = await figures({ municipality: 'GM0001', period: period('2026'), asOf }, sliced);
    const local = (c: string) => `(${c} AT TIME ZONE 'Europe/Amsterdam')::date`;
    const inYear = `municipality = 'GM0001' AND requested_pos <= ${asOf} AND (error_pos IS NULL OR error_pos > ${asOf})`;
    const requested = `${inYear} AND requested_at >= timestamptz '2026-01-01 00:00 Europe/Amsterdam'
      AND requested_at < timestamptz '2027-01-01 00:00 Europe/Amsterdam'`;
    const closed = `${inYear} AND closed_pos <= ${asOf} AND closed_at >= timestamptz '2026-01-01 00:00 Europe/Amsterdam'
      AND closed_at < timestamptz '2027-01-01 00:00 Europe/Amsterdam'`;
    const { rows } = await pool.query<Record<string, string | null>>(
      `SELECT
        (SELECT round(avg(${local('accepted_at')} - ${local('requested_at')}), 1) FROM referral_facts
          WHERE ${requested} AND accepted_pos <= ${asOf}) AS acceptance,
        (SELECT round(avg(intake_on - ${local('requested_at')}), 1) FROM referral_facts
          WHERE ${requested} AND intake_pos <= ${asOf}) AS intake,
        (SELECT round(avg(closure_health[2] - intake_health[2]), 1) FROM referral_facts
          WHERE ${closed} AND intake_pos <= ${asOf}) AS health2,
        (SELECT round(avg(closure_health[6] - intake_health[6]), 1) FROM referral_facts
          WHERE ${closed} AND intake_pos <= ${asOf}) AS health6`,
    );
    const reference = rows[0]!;
    const mean = (step: string) => f.timeTo.find((t) => t.step === step)!.mean;
    expect(mean('acceptance')).toBe(Number(reference.acceptance));
    expect(mean('intake')).toBe(Number(reference.intake));
    const dimension = (k: number) => f.closures.positiveHealth.byDimension[k]!.meanChange;
    expect(dimension(1)).toBe(Number(reference.health2));
    expect(dimension(5)).toBe(Number(reference.health6));
    expect(f.closures.positiveHealth.n).toBeGreaterThan(0);
  });
});
