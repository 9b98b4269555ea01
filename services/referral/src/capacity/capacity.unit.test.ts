import { noHolidays } from '../work-queues/working-days';
import { capacityOf, workingDaysInMonth, type CapacityPlan } from './capacity';

// December 2026 has 23 weekdays; with 115 coach hours that is 5 hours a working day.
const plan: CapacityPlan = { month: '2026-12', coachHours: 115, expectedHoursPerReferral: 8.5, maxWaitWorkingDays: 40 };
const status = (openReferrals: number, hoursRecorded = 0, p: CapacityPlan | undefined = plan) =>
  capacityOf(p, { openReferrals, hoursRecorded }, '2026-12', noHolidays);

describe('coach capacity', () => {
  it('counts working days of a month', () => {
    expect(workingDaysInMonth('2026-12', noHolidays)).toBe(23);
    expect(workingDaysInMonth('2026-12')).toBe(22); // Christmas Day is a Friday; Boxing Day a Saturday
  });

  it('given no plan, the status is unknown', () => {
    expect(capacityOf(undefined, { openReferrals: 3, hoursRecorded: 0 }, '2026-12')).toMatchObject({
      status: 'unknown',
      hours: null,
      openReferrals: 3,
    });
  });

  it('given room for one more referral, there is capacity', () => {
    // 12 open × 8.5 = 102 committed; one more makes 110.5 ≤ 115.
    expect(status(12)).toMatchObject({ status: 'capacity', hours: { available: 115, committed: 102 } });
  });

  it('given hours recorded at closure, they count as committed too', () => {
    expect(status(12, 10)).toMatchObject({ status: 'waitlist', hours: { committed: 112 } });
  });

  it('given a full plan, a waitlist with the wait in working days at the plan pace', () => {
    // 14 open = 119 committed; one more needs 127.5 − 115 = 12.5 h = 3 working days at 5 h a day.
    expect(status(14)).toMatchObject({ status: 'waitlist', expectedWaitWorkingDays: 3 });
  });

  it('given a wait beyond the maximum, or no hours at all, no capacity', () => {
    expect(status(40)).toMatchObject({ status: 'no-capacity', expectedWaitWorkingDays: null });
    expect(status(0, 0, { ...plan, coachHours: 0 })).toMatchObject({ status: 'no-capacity' });
  });
});
