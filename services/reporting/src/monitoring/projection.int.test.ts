// Projection specs: given events (through the live path: log + read models), then the figures.
import { parseIntegrationEvent } from '@wor/contracts';
import type { Pool } from 'pg';
import { parsePeriod, type Period } from '../periods/period';
import { lastPosition } from '../received-events/store';
import { reportingSchema } from '../testing/database';
import {
  accessLogged,
  capacityPlanned,
  consentGiven,
  consentWithdrawn,
  fullReferral,
  listSizeSet,
  referralEvents,
  servicePublished,
} from '../testing/events';
import { recordAll } from '../testing/record';
import { computeIndicators, withSnapshot } from './indicators';

const period = (id: string) => parsePeriod(id) as Period;
const count = (rows: { category: string; count: number }[], category: string) =>
  rows.find((r) => r.category === category)?.count;

describe('monitoring projection (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ pool, close } = await reportingSchema());
  });
  afterEach(() => close());

  const figures = async (id = '2026-Q1', municipality = 'GM0001', asOf?: number) => {
    const position = asOf ?? (await lastPosition(pool)).position;
    return withSnapshot(pool, (tx) => computeIndicators(tx, { municipality, period: period(id), asOf: position }));
  };

  it('builds valid example events (the test builders follow the contracts)', () => {
    const r = referralEvents();
    const all = [
      ...fullReferral(),
      r.rejected('2026-03-03T09:00:00Z'),
      r.contactAttempted('2026-03-03T09:00:00Z'),
      r.activityLinked('2026-03-03T09:00:00Z', '6f1c7d7e-59a4-4a8f-9b5a-2d1f7c3b9e10'),
      r.onHold('2026-03-03T09:00:00Z'),
      r.resumed('2026-03-04T09:00:00Z'),
      r.failed('2026-03-05T09:00:00Z'),
      r.cancelled('2026-03-05T09:00:00Z'),
      r.enteredInError('2026-03-05T09:00:00Z'),
      consentGiven(),
      consentWithdrawn('6f1c7d7e-59a4-4a8f-9b5a-2d1f7c3b9e10'),
      accessLogged('denied'),
      servicePublished(),
      capacityPlanned('welzijn-een', '2026-03', 40),
    ];
    for (const event of all)
      expect(parseIntegrationEvent(JSON.parse(JSON.stringify(event)))).toMatchObject({ ok: true });
  });

  it('counts referrals per practice, role, reason, age band and sex in the period, from distinct referrals', async () => {
    await recordAll(pool, [
      referralEvents().requested({
        practiceId: 'huisarts-een',
        referrerRole: 'huisarts',
        reasons: ['eenzaamheid', 'rouw'],
        ageBand: '65-74',
        sex: 'female',
      }),
      referralEvents().requested({
        practiceId: 'huisarts-een',
        referrerRole: 'poh-ggz',
        reasons: ['eenzaamheid'],
        ageBand: '75+',
        sex: 'male',
      }),
      referralEvents().requested({
        practiceId: 'huisarts-twee',
        referrerRole: 'poh-ggz',
        reasons: ['zingeving'],
        ageBand: '75+',
        sex: 'female',
      }),
      referralEvents().requested({ at: '2026-04-01T08:00:00Z' }), // Q2
      referralEvents().requested({ municipality: 'GM0002' }),
    ]);
    const f = await figures();
    expect(f.referrals.total).toBe(3);
    expect(f.referrals.byPractice).toEqual([
      { category: 'huisarts-een', count: 2 },
      { category: 'huisarts-twee', count: 1 },
    ]);
    expect(count(f.referrals.byReferrerRole, 'poh-ggz')).toBe(2);
    expect(count(f.referrals.byReason, 'eenzaamheid')).toBe(2);
    expect(count(f.referrals.byReason, 'rouw')).toBe(1);
    expect(count(f.referrals.byAgeBand, '75+')).toBe(2);
    expect(count(f.referrals.bySex, 'female')).toBe(2);
    expect((await figures('2026')).referrals.total).toBe(4);
  });

  it('derives the funnel, days to each step in local calendar days, outcomes, feedback, coach hours, Positieve Gezondheid and GAS', async () => {
    const done = fullReferral({ at: '2026-03-02T09:00:00Z', days: [2, 5, 12, 20] });
    const dropped = referralEvents();
    const waiting = referralEvents();
    await recordAll(pool, [
      ...done,
      dropped.requested({ at: '2026-03-02T22:30:00Z' }), // 23:30 local, still 2 March
      dropped.accepted('2026-03-03T23:30:00Z'), // 00:30 local on 4 March: two calendar days
      dropped.failed('2026-03-20T10:00:00Z', 'dropped-out', 12),
      waiting.requested({ at: '2026-03-10T09:00:00Z' }),
    ]);
    const f = await figures();
    expect(f.referrals.byStage.filter((s) => s.count > 0)).toEqual([
      { category: 'requested', count: 1 },
      { category: 'completed', count: 1 },
      { category: 'failed', count: 1 },
    ]);
    expect(f.timeTo).toEqual([
      { step: 'acceptance', n: 2, mean: 2, median: 2 },
      { step: 'first-contact', n: 1, mean: 5, median: 5 },
      { step: 'intake', n: 1, mean: 12, median: 12 },
    ]);
    expect(count(f.referrals.feedback, 'sent')).toBe(1);
    expect(count(f.referrals.feedback, 'not-sent')).toBe(2);
    expect(f.closures.total).toBe(2);
    expect(count(f.closures.byOutcome, 'completed:linked-to-activity')).toBe(1);
    expect(count(f.closures.byOutcome, 'failed:dropped-out')).toBe(1);
    expect(f.closures.coachHoursBand).toEqual([
      { category: 'under-7', count: 0 },
      { category: '7-10', count: 1 },
      { category: 'over-10', count: 1 },
    ]);
    expect(f.closures.coachHours).toEqual({ n: 2, mean: 10, median: 10 });
    expect(f.closures.positiveHealth.n).toBe(1);
    expect(f.closures.positiveHealth.meanChange).toBe(2);
    expect(f.closures.gas).toMatchObject({ goals: 1, mean: 1 });
    expect(f.quality.openReferrals).toBe(1);
  });

  it('removes a referral entered in error from every count, whenever the error arrives', async () => {
    const wrong = fullReferral();
    const early = referralEvents();
    await recordAll(pool, [...wrong, referralEvents().enteredInError('2026-03-01T00:00:00Z')]);
    await recordAll(pool, [early.enteredInError('2026-03-04T00:00:00Z'), early.requested()]); // error before its request
    const before = await figures();
    expect(before.referrals.total).toBe(1); // the early error already removes its referral
    await recordAll(pool, [
      referralEvents((wrong[0]!.data as { referralId: string }).referralId).enteredInError('2026-04-10T00:00:00Z'),
    ]);
    const after = await figures();
    expect(after.referrals.total).toBe(0);
    expect(after.closures.total).toBe(0);
    expect(after.timeTo.every((t) => t.n === 0)).toBe(true);
    expect(after.quality.enteredInError).toBe(2);
  });

  it('keeps steps that arrive before their ReferralRequested and counts them once it arrives', async () => {
    const r = referralEvents();
    await recordAll(pool, [
      r.accepted('2026-03-04T09:00:00Z'),
      r.firstContact('2026-03-06T09:00:00Z'),
      r.feedback('2026-03-04T10:00:00Z'),
    ]);
    const before = await figures();
    expect(before.referrals.total).toBe(0);
    expect(before.quality.stepsAwaitingRequest).toBe(1);
    await recordAll(pool, [r.requested({ at: '2026-03-02T09:00:00Z' }), r.accepted('2026-03-09T09:00:00Z')]); // a late duplicate step
    const after = await figures();
    expect(after.referrals.total).toBe(1);
    expect(count(after.referrals.byStage, 'contacted')).toBe(1);
    expect(after.timeTo[0]).toEqual({ step: 'acceptance', n: 1, mean: 2, median: 2 });
    expect(after.quality.stepsAwaitingRequest).toBe(0);
  });

  it('reads the state as of an earlier position', async () => {
    const r = referralEvents();
    await recordAll(pool, [r.requested()]);
    const p1 = (await lastPosition(pool)).position;
    await recordAll(pool, [r.accepted('2026-03-03T09:00:00Z'), r.enteredInError('2026-03-05T09:00:00Z')]);
    expect((await figures('2026-Q1', 'GM0001', p1)).referrals.byStage.find((s) => s.count > 0)).toEqual({
      category: 'requested',
      count: 1,
    });
    expect((await figures()).referrals.total).toBe(0);
  });

  it('counts consents, access denials and social-map use in the municipality', async () => {
    const serviceId = '0b9e5a3c-7d21-4f6e-8a90-1c2d3e4f5a6b';
    const r = referralEvents();
    const consentId = '1b9e5a3c-7d21-4f6e-8a90-1c2d3e4f5a6b';
    await recordAll(pool, [
      consentGiven(consentId),
      consentGiven(undefined, '2026-03-01T09:00:00Z', 'GM0002'),
      consentWithdrawn(consentId),
      accessLogged('denied'),
      accessLogged('denied'),
      accessLogged('allowed'),
      servicePublished(serviceId, 'Wandelgroep De Stap'),
      r.requested(),
      r.activityLinked('2026-03-10T09:00:00Z', serviceId),
    ]);
    // As the consent service publishes them: no municipality; placed by the referral made under it.
    const placed = '2b9e5a3c-7d21-4f6e-8a90-1c2d3e4f5a6b';
    await recordAll(pool, [
      consentGiven(placed, '2026-03-01T09:00:00Z', null),
      consentGiven(undefined, '2026-03-01T09:00:00Z', null),
    ]);
    expect((await figures()).consent).toEqual({ given: 1, withdrawn: 1 });
    await recordAll(pool, [referralEvents().requested({ consentId: placed })]);
    const f = await figures();
    expect(f.consent).toEqual({ given: 2, withdrawn: 1 });
    expect(f.accessDenials).toEqual({ total: 2, byRole: [{ category: 'coach', count: 2 }] });
    expect(f.socialMap).toEqual({
      links: 1,
      byService: [{ category: `Wandelgroep De Stap (${serviceId})`, count: 1 }],
    });
  });

  it('compares each practice with the 0.3–0.8% yearly expectation, pro rata by days (leap year)', async () => {
    await recordAll(pool, [
      listSizeSet('huisarts-een', 1000),
      listSizeSet('huisarts-een', 3000),
      referralEvents().requested({ at: '2024-02-29T12:00:00Z' }),
    ]);
    const f = await figures('2024-B1');
    expect(f.practices).toEqual([
      {
        practiceId: 'huisarts-een',
        referrals: 1,
        registeredPatients: 3000,
        expectedMin: Math.round(3000 * 0.003 * (60 / 366) * 10) / 10,
        expectedMax: Math.round(3000 * 0.008 * (60 / 366) * 10) / 10,
        yearlyRatePercent: Math.round((1 / 3000 / (60 / 366)) * 100 * 100) / 100,
      },
    ]);
  });

  it('assigns a referral to the period of its local date (Europe/Amsterdam, summer and winter time)', async () => {
    await recordAll(pool, [
      referralEvents().requested({ at: '2025-12-31T23:30:00Z' }), // 00:30 on 1 January 2026 local
      referralEvents().requested({ at: '2026-06-30T22:30:00Z' }), // 00:30 on 1 July local (CEST)
      referralEvents().requested({ at: '2026-06-30T21:30:00Z' }), // 23:30 on 30 June local
      referralEvents().requested({ at: '2024-02-29T22:59:59Z' }), // 23:59:59 on 29 February 2024 local
    ]);
    expect((await figures('2025')).referrals.total).toBe(0);
    expect((await figures('2026-Q1')).referrals.total).toBe(1);
    expect((await figures('2026-B3')).referrals.total).toBe(1);
    expect((await figures('2026-B4')).referrals.total).toBe(1);
    expect((await figures('2024-B1')).referrals.total).toBe(1);
    expect((await figures('2024-B2')).referrals.total).toBe(0);
  });

  it('gives the figures avg, percentile_cont and unnest give over the cohorts (the one pass is exact)', async () => {
    const events = [];
    for (let k = 0; k < 23; k++) {
      const r = referralEvents();
      const at = new Date(Date.parse('2026-01-05T09:00:00Z') + k * 3 * 86_400_000).toISOString();
      const day = (d: number) => new Date(Date.parse(at) + d * 86_400_000).toISOString();
      events.push(r.requested({ at, reasons: k % 3 ? ['eenzaamheid', 'rouw'] : ['zingeving'] }));
      events.push(r.accepted(day(k % 4)), r.firstContact(day(1 + (k % 7))), r.intake(day(9 + (k % 5)), k % 4));
      if (k % 5 === 0) events.push(r.failed(day(20), 'dropped-out', 2.5 + k));
      else
        events.push(
          r.completed(day(20 + k), { coachHours: 4 + (k % 6) * 1.25, score: 3 + (k % 8), gas: [(k % 5) - 2, 1] }),
        );
    }
    await recordAll(pool, events);
    const f = await figures('2026-Q1');
    const P = (await lastPosition(pool)).position;
    const local = (c: string) => `(${c} AT TIME ZONE 'Europe/Amsterdam')::date`;
    const inQ1 = (c: string) =>
      `${c} >= '2026-01-01 00:00 Europe/Amsterdam' AND ${c} < '2026-04-01 00:00 Europe/Amsterdam'`;
    const one = async (sql: string) => (await pool.query(sql, [P])).rows[0] as Record<string, string | null>;
    const stat = async (x: string, where: string) => {
      const r = await one(
        `SELECT count(x) AS n, avg(x) AS mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS median
         FROM (SELECT ${x} AS x FROM referral_facts WHERE requested_pos <= $1 AND ${where}) t`,
      );
      const round = (v: string | null | undefined) =>
        v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10;
      return { n: Number(r.n), mean: round(r.mean), median: round(r.median) };
    };
    const requested = inQ1('requested_at');
    const closed = `closed_pos <= $1 AND ${inQ1('closed_at')}`;
    expect(f.timeTo).toEqual([
      { step: 'acceptance', ...(await stat(`${local('accepted_at')} - ${local('requested_at')}`, requested)) },
      { step: 'first-contact', ...(await stat(`${local('first_contact_at')} - ${local('requested_at')}`, requested)) },
      { step: 'intake', ...(await stat(`intake_on - ${local('requested_at')}`, requested)) },
    ]);
    expect(f.timeTo[0]!.n).toBe(f.referrals.total);
    expect(f.closures.coachHours).toEqual(await stat('coach_hours', closed));
    const change = await stat('closure_health[2] - intake_health[2]', `${closed} AND closure_health IS NOT NULL`);
    expect(f.closures.positiveHealth.n).toBe(change.n);
    expect(f.closures.positiveHealth.byDimension[1]!.meanChange).toBe(change.mean);
    const gas = await pool.query<{ key: string; n: string }>(
      `SELECT s::text AS key, count(*) AS n FROM referral_facts, unnest(gas_scores) s WHERE ${closed} GROUP BY 1`,
      [P],
    );
    for (const { key, n } of gas.rows) expect(count(f.closures.gas.byScore, key)).toBe(Number(n));
    expect(count(f.referrals.byReason, 'rouw')).toBe(15);
    expect(count(f.referrals.byReason, 'zingeving')).toBe(8);
  });

  it('reads in a read-only snapshot: an extract takes no transaction id (event stores keep relaying)', async () => {
    await recordAll(pool, fullReferral());
    const position = (await lastPosition(pool)).position;
    const xid = await withSnapshot(pool, async (tx) => {
      await computeIndicators(tx, { municipality: 'GM0001', period: period('2026'), asOf: position });
      return (await tx.query<{ xid: string | null }>('SELECT txid_current_if_assigned() AS xid')).rows[0]!.xid;
    });
    expect(xid).toBeNull();
  });
});
