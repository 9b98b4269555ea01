// Measurement periods as municipalities report them: a calendar year, a quarter, or a two-month
// period (the start phase's rhythm), all in Dutch local time (Europe/Amsterdam). A period is a
// half-open range of local dates; SQL turns its bounds into instants with `AT TIME ZONE`, so a
// referral at 23:30 UTC on 31 December already belongs to the next year, and DST needs no care here.
import { z } from 'zod';

export type PeriodKind = 'year' | 'quarter' | 'two-month';

export type Period = Readonly<{
  /** `2026`, `2026-Q1` … `2026-Q4`, `2026-B1` (January–February) … `2026-B6` (November–December). */
  id: string;
  kind: PeriodKind;
  year: number;
  /** First local date in the period, YYYY-MM-DD. */
  from: string;
  /** Last local date in the period (inclusive), YYYY-MM-DD. */
  to: string;
  /** First local date after the period: the exclusive upper bound for queries. */
  until: string;
  /** Calendar days in the period (a leap year's February has 29). */
  days: number;
}>;

export const TIME_ZONE = 'Europe/Amsterdam';

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export const daysInYear = (year: number): number => (isLeapYear(year) ? 366 : 365);

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The local date `YYYY-MM-01` of a month, rolling over into the next year (month 13 = January). */
const firstOfMonth = (year: number, month: number): string =>
  month > 12 ? `${pad(year + 1, 4)}-01-01` : `${pad(year, 4)}-${pad(month)}-01`;

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

const previousDay = (date: string): string => new Date((dayNumber(date) - 1) * 86_400_000).toISOString().slice(0, 10);

const build = (id: string, kind: PeriodKind, year: number, firstMonth: number, months: number): Period => {
  const from = firstOfMonth(year, firstMonth);
  const until = firstOfMonth(year, firstMonth + months);
  return { id, kind, year, from, to: previousDay(until), until, days: dayNumber(until) - dayNumber(from) };
};

const PERIOD_PATTERN = /^(\d{4})(?:-(Q[1-4]|B[1-6]))?$/;

/** Parses a period id; undefined when it is not one. */
export const parsePeriod = (id: string): Period | undefined => {
  const match = PERIOD_PATTERN.exec(id);
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 2000 || year > 2999) return undefined;
  const part = match[2];
  if (!part) return build(id, 'year', year, 1, 12);
  const n = Number(part.slice(1));
  return part.startsWith('Q') ? build(id, 'quarter', year, 3 * n - 2, 3) : build(id, 'two-month', year, 2 * n - 1, 2);
};

/** The six two-month periods of a year, in order (trends). */
export const twoMonthPeriods = (year: number): Period[] =>
  [1, 2, 3, 4, 5, 6].map((n) => parsePeriod(`${year}-B${n}`) as Period);

/** zod schema of a period id, for query parameters. */
export const PeriodId = z
  .string()
  .refine((id) => parsePeriod(id) !== undefined, 'a period like 2026, 2026-Q1 (quarter) or 2026-B1 (two months)')
  .transform((id) => parsePeriod(id) as Period);

/** The share of a year a period covers, by calendar days: what a yearly expectation scales by. */
export const shareOfYear = (period: Period): number => period.days / daysInYear(period.year);
