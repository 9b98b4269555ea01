// The extract as a whole: suppression in context, byte-identical regeneration as of a position.
import type { Pool } from 'pg';
import { parsePeriod, type Period } from '../periods/period';
import { lastPosition } from '../received-events/store';
import { reportingSchema } from '../testing/database';
import { fullReferral, listSizeSet, referralEvents } from '../testing/events';
import { recordAll } from '../testing/record';
import { INDICATOR_STEPS } from '../monitoring/indicators';
import { buildExtract, type Extract, toCsv, toJson } from './extract';

const period = (id: string) => parsePeriod(id) as Period;
const rows = (extract: Extract, id: string) =>
  Object.fromEntries(
    extract.tables.find((t) => t.id === id)!.rows.map((r) => [r.category, r.count.value ?? r.count.flag]),
  );
const total = (extract: Extract, id: string) => extract.tables.find((t) => t.id === id)!.total;

/** `n` referrals of one kind in Q1 2026, each with its own id. */
const many = (n: number, options: Parameters<ReturnType<typeof referralEvents>['requested']>[0]) =>
  Array.from({ length: n }, () => referralEvents().requested(options));

describe('GALA extract (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ pool, close } = await reportingSchema());
  });
  afterEach(() => close());

  it('reports its progress query by query (the command line shows it)', async () => {
    await recordAll(pool, many(12, { practiceId: 'huisarts-een', sex: 'female', ageBand: '65-74' }));
    let steps = 0;
    await buildExtract(pool, { municipality: 'GM0001', period: period('2026-Q1') }, () => (steps += 1));
    expect(steps).toBe(INDICATOR_STEPS);
  });

  it('suppresses small cells, and a second cell where the total would reveal the first', async () => {
    await recordAll(pool, [
      ...many(30, { practiceId: 'huisarts-een', sex: 'female', ageBand: '65-74' }),
      ...many(12, { practiceId: 'huisarts-twee', sex: 'male', ageBand: '65-74' }),
      ...many(4, { practiceId: 'huisarts-drie', sex: 'male', ageBand: '75+' }),
    ]);
    const extract = await buildExtract(pool, { municipality: 'GM0001', period: period('2026-Q1') });
    expect(total(extract, 'referrals-by-practice')).toEqual({ value: 46, flag: null });
    expect(rows(extract, 'referrals-by-practice')).toEqual({
      'huisarts-drie': 'suppressed',
      'huisarts-een': 30,
      'huisarts-twee': 'secondary-suppressed',
    });
    expect(rows(extract, 'referrals-by-sex')).toEqual({ female: 30, male: 16, other: 0, unknown: 0 });
    // 42 and 4: the 4 is hidden, and the smallest other non-zero cell with it (zeros stay shown).
    expect(rows(extract, 'referrals-by-age-band')).toEqual({
      '0-17': 0,
      '18-24': 0,
      '25-44': 0,
      '45-64': 0,
      '65-74': 'secondary-suppressed',
      '75+': 'suppressed',
    });
    // Nobody closed: an empty table shows its zeros; statistics over nobody are hidden.
    expect(total(extract, 'closures-by-outcome')).toEqual({ value: 0, flag: null });
    expect(extract.statistics.find((s) => s.id === 'days-to-acceptance')).toMatchObject({
      n: { value: 0, flag: null },
      values: [
        { name: 'mean', value: null },
        { name: 'median', value: null },
      ],
    });
    expect(toCsv(extract)).toContain('table,referrals-by-practice,huisarts-drie,count,,suppressed\r\n');
  });

  it('suppresses the whole table when fewer than 10 are counted, and the rate with a suppressed count', async () => {
    await recordAll(pool, [listSizeSet('huisarts-een', 2000), ...many(3, { practiceId: 'huisarts-een' })]);
    const extract = await buildExtract(pool, { municipality: 'GM0001', period: period('2026-Q1') });
    expect(total(extract, 'referrals-by-sex')).toEqual({ value: null, flag: 'suppressed' });
    expect(Object.values(rows(extract, 'referrals-by-sex'))).toEqual([
      'suppressed',
      'suppressed',
      'suppressed',
      'suppressed',
    ]);
    expect(extract.practices.rows).toEqual([
      {
        practiceId: 'huisarts-een',
        referrals: { value: null, flag: 'suppressed' },
        registeredPatients: 2000,
        expectedMin: 1.5,
        expectedMax: 3.9,
        yearlyRatePercent: null,
        againstExpectation: null,
      },
    ]);
  });

  it('publishes statistics over 10 or more referrals', async () => {
    await recordAll(pool, Array.from({ length: 10 }, () => fullReferral({ days: [1, 3, 10, 40] })).flat());
    const extract = await buildExtract(pool, { municipality: 'GM0001', period: period('2026-Q1') });
    expect(extract.statistics.find((s) => s.id === 'days-to-first-contact')).toMatchObject({
      n: { value: 10 },
      values: [
        { name: 'mean', value: 3 },
        { name: 'median', value: 3 },
      ],
    });
    expect(rows(extract, 'feedback-to-referrer')).toEqual({ sent: 10, 'not-sent': 0 });
  });

  it('gives byte-identical output when generated again as of the same position, after more events arrived', async () => {
    await recordAll(pool, [
      listSizeSet('huisarts-een', 2000),
      ...Array.from({ length: 12 }, () => fullReferral()).flat(),
    ]);
    const asOf = (await lastPosition(pool)).position;
    const request = { municipality: 'GM0001', period: period('2026-Q1'), asOf };
    const firstJson = toJson(await buildExtract(pool, request));
    const firstCsv = toCsv(await buildExtract(pool, request));

    const late = referralEvents();
    await recordAll(pool, [
      ...Array.from({ length: 11 }, () => fullReferral()).flat(),
      late.requested(),
      late.enteredInError('2026-03-09T00:00:00Z'),
    ]);
    await recordAll(pool, [listSizeSet('huisarts-een', 9000)]);

    expect(toJson(await buildExtract(pool, request))).toBe(firstJson);
    expect(toCsv(await buildExtract(pool, request))).toBe(firstCsv);
    const now = await buildExtract(pool, { municipality: 'GM0001', period: period('2026-Q1') });
    expect(now.asOf.position).toBeGreaterThan(asOf);
    expect(total(now, 'referrals-by-sex').value).toBe(23);
    expect(JSON.parse(firstJson)).toMatchObject({
      asOf: { position: asOf },
      generatedAt: JSON.parse(firstJson).asOf.receivedAt,
    });
    expect(JSON.parse(firstJson).practices.rows[0].registeredPatients).toBe(2000);
    // A stated generation time is used as given.
    const stated = await buildExtract(pool, { ...request, generatedAt: '2027-01-15T09:00:00.000Z' });
    expect(stated.generatedAt).toBe('2027-01-15T09:00:00.000Z');
  });

  it('refuses a position the log has not reached', async () => {
    await recordAll(pool, [referralEvents().requested()]);
    await expect(buildExtract(pool, { municipality: 'GM0001', period: period('2026'), asOf: 99 })).rejects.toThrow(
      /not reached position 99/,
    );
  });
});
