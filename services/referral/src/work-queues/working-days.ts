// Working days in the Netherlands: Monday to Friday on Europe/Amsterdam dates, without the public
// holidays most collective agreements give off. Holidays are computed from Easter, not listed per year.

const TIME_ZONE = 'Europe/Amsterdam';
const DAY_MS = 86_400_000;

const wallClockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The Amsterdam wall-clock time of an instant (whole seconds), written as if it were UTC. */
const wallClock = (instantMs: number): number => {
  const p = Object.fromEntries(wallClockFormat.formatToParts(instantMs).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
};

/** Amsterdam's offset from UTC at an instant, in ms (one hour in winter, two in summer). */
const offsetAt = (instantMs: number): number => {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallClock(whole) - whole;
};

/** A calendar date, as UTC midnight of that date (so weekdays and day arithmetic need no time zone). */
export type CalendarDay = Date;

export const addDays = (day: CalendarDay, days: number): CalendarDay => new Date(day.getTime() + days * DAY_MS);

/** The Amsterdam date an instant falls on. */
export const amsterdamDay = (instant: Date): CalendarDay => {
  const wall = new Date(instant.getTime() + offsetAt(instant.getTime()));
  return new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()));
};

/** The instant an Amsterdam date begins (midnight is never inside a DST change there). */
export const startOfAmsterdamDay = (day: CalendarDay): Date => {
  const wall = day.getTime();
  const guess = wall - offsetAt(wall);
  return new Date(wall - offsetAt(guess));
};

/** Whole calendar days between the Amsterdam dates of two instants. */
export const calendarDaysBetween = (from: Date, to: Date): number =>
  Math.round((amsterdamDay(to).getTime() - amsterdamDay(from).getTime()) / DAY_MS);

/** Easter Sunday (Gregorian; anonymous algorithm, Meeus/Jones/Butcher). */
export const easterSunday = (year: number): CalendarDay => {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
};

const holidayCache = new Map<number, Set<number>>();

/**
 * Dutch public holidays that fall on weekdays: New Year's Day, Easter Monday, King's Day (27 April, the
 * 26th when the 27th is a Sunday), Ascension Day, Whit Monday, Christmas and Boxing Day, and Liberation
 * Day in lustrum years (when most collective agreements give it off). Good Friday is a working day.
 */
export const dutchPublicHolidays = (year: number): Set<number> => {
  let days = holidayCache.get(year);
  if (!days) {
    const easter = easterSunday(year);
    const kingsDay = new Date(Date.UTC(year, 3, 27));
    const list = [
      new Date(Date.UTC(year, 0, 1)),
      addDays(easter, 1),
      kingsDay.getUTCDay() === 0 ? addDays(kingsDay, -1) : kingsDay,
      addDays(easter, 39),
      addDays(easter, 50),
      new Date(Date.UTC(year, 11, 25)),
      new Date(Date.UTC(year, 11, 26)),
      ...(year % 5 === 0 ? [new Date(Date.UTC(year, 4, 5))] : []),
    ];
    days = new Set(list.map((d) => d.getTime()));
    holidayCache.set(year, days);
  }
  return days;
};

export type HolidayCalendar = (day: CalendarDay) => boolean;

export const isDutchPublicHoliday: HolidayCalendar = (day) =>
  dutchPublicHolidays(day.getUTCFullYear()).has(day.getTime());
export const noHolidays: HolidayCalendar = () => false;

export const isWorkingDay = (day: CalendarDay, isHoliday: HolidayCalendar = isDutchPublicHoliday): boolean => {
  const weekday = day.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isHoliday(day);
};

/**
 * When first contact is due: the end (Amsterdam midnight) of the `workingDays`-th working day after the
 * day the referral was requested. A referral that arrives on Friday evening or on Saturday gets the same
 * deadline; the request day itself never counts, whatever the hour.
 */
export const firstContactDeadline = (
  requestedAt: Date,
  workingDays: number,
  isHoliday: HolidayCalendar = isDutchPublicHoliday,
): Date => {
  if (!Number.isInteger(workingDays) || workingDays < 0)
    throw new RangeError(`workingDays must be a whole number >= 0, got ${workingDays}`);
  if (Number.isNaN(requestedAt.getTime())) throw new RangeError('requestedAt is not a valid date');
  let day = amsterdamDay(requestedAt);
  for (let left = workingDays; left > 0;) {
    day = addDays(day, 1);
    if (isWorkingDay(day, isHoliday)) left -= 1;
  }
  return startOfAmsterdamDay(addDays(day, 1));
};
