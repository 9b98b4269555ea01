// The welfare organisation's coach capacity (seed 003: 7–10 coach hours a referral, 100–150 hours for the
// first 10–15 referrals). Pure rules: the status a GP sees before referring, from the coordinator's plan
// for the month and the hours committed to referrals.
import { addDays, isWorkingDay, type CalendarDay, type HolidayCalendar } from '../work-queues/working-days';

export const DEFAULT_EXPECTED_HOURS_PER_REFERRAL = 8.5;
export const DEFAULT_MAX_WAIT_WORKING_DAYS = 40;

export type CapacityPlan = Readonly<{
  /** The month the plan is for, `YYYY-MM`. */
  month: string;
  coachHours: number;
  expectedHoursPerReferral: number;
  /** Beyond this expected wait the organisation has no capacity rather than a waitlist. */
  maxWaitWorkingDays: number;
}>;

/** Gravity's capacity codes (SDOHCC HealthcareService capacity), plus unknown when no plan is set. */
export type CapacityStatus = 'capacity' | 'waitlist' | 'no-capacity' | 'unknown';

export type CapacityFigures = Readonly<{
  /** Referrals not yet closed. */
  openReferrals: number;
  /** Coach hours recorded at closure in the plan's month. */
  hoursRecorded: number;
}>;

export type Capacity = Readonly<{
  month: string;
  status: CapacityStatus;
  /** For a waitlist: working days until a new referral can be taken up. */
  expectedWaitWorkingDays: number | null;
  hours: { available: number; committed: number; expectedPerReferral: number } | null;
  openReferrals: number;
}>;

export const monthOf = (day: CalendarDay): string => day.toISOString().slice(0, 7);

export const workingDaysInMonth = (month: string, isHoliday?: HolidayCalendar): number => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  let count = 0;
  for (let day = new Date(Date.UTC(year, m - 1, 1)); day.getUTCMonth() === m - 1; day = addDays(day, 1))
    if (isWorkingDay(day, isHoliday)) count += 1;
  return count;
};

/**
 * Committed hours are open referrals × the expected hours, plus the hours recorded at closure this month.
 * A new referral fits when the plan has room for its expected hours; otherwise it waits as long as the
 * missing hours take at the plan's pace (hours per working day), up to the plan's maximum.
 */
export const capacityOf = (
  plan: CapacityPlan | undefined,
  figures: CapacityFigures,
  month: string,
  isHoliday?: HolidayCalendar,
): Capacity => {
  if (!plan)
    return {
      month,
      status: 'unknown',
      expectedWaitWorkingDays: null,
      hours: null,
      openReferrals: figures.openReferrals,
    };
  const committed = figures.openReferrals * plan.expectedHoursPerReferral + figures.hoursRecorded;
  const hours = { available: plan.coachHours, committed, expectedPerReferral: plan.expectedHoursPerReferral };
  const base = { month, hours, openReferrals: figures.openReferrals };
  if (plan.coachHours <= 0) return { ...base, status: 'no-capacity', expectedWaitWorkingDays: null };
  const missing = committed + plan.expectedHoursPerReferral - plan.coachHours;
  if (missing <= 0) return { ...base, status: 'capacity', expectedWaitWorkingDays: null };
  const perWorkingDay = plan.coachHours / Math.max(1, workingDaysInMonth(plan.month, isHoliday));
  const wait = Math.ceil(missing / perWorkingDay);
  return wait > plan.maxWaitWorkingDays
    ? { ...base, status: 'no-capacity', expectedWaitWorkingDays: null }
    : { ...base, status: 'waitlist', expectedWaitWorkingDays: wait };
};
