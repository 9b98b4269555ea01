// Capacity monitoring: the plans projected from CapacityPlanned next to the hours recorded at closure, and the
// expected referrals next to those received; on real PostgreSQL, and the same after a rebuild by replay.
import type { Pool } from 'pg';
import { parsePeriod, type Period } from '../periods/period';
import { rebuildReadModels } from '../rebuild/rebuild';
import { reportingSchema } from '../testing/database';
import { capacityPlanned, fullReferral, listSizeSet, referralEvents } from '../testing/events';
import { recordAll } from '../testing/record';
import { capacityMonitoring, monthsOf } from './capacity';

const q1 = parsePeriod('2026-Q1') as Period;

/** The start phase: 130 hours planned over January–March, eleven referrals of 8 hours closed in March. */
const startPhase = () => [
  listSizeSet('huisarts-een', 2000),
  capacityPlanned('welzijn-een', '2026-01', 40),
  capacityPlanned('welzijn-een', '2026-02', 40),
  capacityPlanned('welzijn-een', '2026-03', 30),
  // The coordinator raises March's plan: the latest plan of a month counts.
  capacityPlanned('welzijn-een', '2026-03', 50, '2026-02-20T08:00:00Z'),
  // April is outside the period.
  capacityPlanned('welzijn-een', '2026-04', 99),
  ...Array.from({ length: 11 }, () => fullReferral({ days: [2, 5, 12, 20] })).flat(),
  // Another municipality's referral to the same organisation is not this municipality's figure.
  ...fullReferral({ municipality: 'GM0002', days: [2, 5, 12, 20] }),
];

describe('capacity monitoring (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ pool, close } = await reportingSchema());
  });
  afterEach(() => close());

  it('knows the months of a period', () => {
    expect(monthsOf(q1)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(monthsOf(parsePeriod('2026-B6') as Period)).toEqual(['2026-11', '2026-12']);
    expect(monthsOf(parsePeriod('2026') as Period)).toHaveLength(12);
  });

  it('shows planned coach hours next to used, and expected referrals next to received', async () => {
    await recordAll(pool, startPhase());
    const answer = await capacityMonitoring(pool, { municipality: 'GM0001', period: q1 });
    expect(answer.referrals).toEqual({ received: 11, expectedMin: 1.5, expectedMax: 3.9, light: 'orange' });
    expect(answer.coachHours).toEqual({ planned: 130, used: 88, usedPercent: 67.7 });
    expect(answer.organisations).toEqual([
      {
        organisationId: 'welzijn-een',
        monthsPlanned: ['2026-01', '2026-02', '2026-03'],
        coachHours: { planned: 130, used: 88 },
        referrals: { plannedFor: 15.3, received: 11, closed: 11 },
      },
    ]);

    // Rebuilt by replay from reporting's own log: the same answer.
    await rebuildReadModels(pool);
    expect(await capacityMonitoring(pool, { municipality: 'GM0001', period: q1 })).toEqual(answer);
  });

  it('shows the plan before any referral, and suppresses hours and counts of fewer than ten referrals', async () => {
    await recordAll(pool, [capacityPlanned('welzijn-een', '2026-01', 40)]);
    const planned = await capacityMonitoring(pool, { municipality: 'GM0001', period: q1 });
    expect(planned.coachHours).toEqual({ planned: 40, used: 0, usedPercent: 0 });
    expect(planned.referrals.received).toBe(0);

    const r = referralEvents();
    await recordAll(pool, [
      r.requested({ at: '2026-01-10T09:00:00Z' }),
      r.failed('2026-01-20T09:00:00Z', 'declined', 2),
    ]);
    const few = await capacityMonitoring(pool, { municipality: 'GM0001', period: q1 });
    expect(few.coachHours).toEqual({ planned: 40, used: null, usedPercent: null });
    expect(few.organisations[0]).toMatchObject({
      coachHours: { used: null },
      referrals: { received: null, closed: null },
    });
  });
});
