import {
  amsterdamDay,
  calendarDaysBetween,
  dutchPublicHolidays,
  easterSunday,
  firstContactDeadline,
  noHolidays,
  startOfAmsterdamDay,
} from './working-days';

const iso = (d: Date) => d.toISOString();
const day = (s: string) => new Date(`${s}T00:00:00Z`);

describe('firstContactDeadline', () => {
  it('counts five working days after the request day and ends at Amsterdam midnight', () => {
    // Monday 23 Nov 2026, 11:00 in Amsterdam → Tue, Wed, Thu, Fri, Mon → end of Monday 30 Nov (CET, UTC+1).
    expect(iso(firstContactDeadline(new Date('2026-11-23T10:00:00Z'), 5))).toBe('2026-11-30T23:00:00.000Z');
  });

  it('skips weekends: Friday evening and Saturday requests share a deadline', () => {
    const fridayEvening = new Date('2026-11-27T22:30:00Z'); // Fri 23:30 in Amsterdam
    const saturdayNight = new Date('2026-11-27T23:30:00Z'); // Sat 00:30 in Amsterdam, still Friday in UTC
    const sunday = new Date('2026-11-29T12:00:00Z');
    expect(iso(firstContactDeadline(fridayEvening, 5))).toBe('2026-12-04T23:00:00.000Z');
    expect(iso(firstContactDeadline(saturdayNight, 5))).toBe('2026-12-04T23:00:00.000Z');
    expect(iso(firstContactDeadline(sunday, 5))).toBe('2026-12-04T23:00:00.000Z');
    expect(iso(firstContactDeadline(fridayEvening, 1))).toBe('2026-11-30T23:00:00.000Z'); // Monday, not Saturday
  });

  it('ends at local midnight across the DST changes (not a fixed number of hours later)', () => {
    // Summer time ends Sunday 25 Oct 2026: requested in CEST (UTC+2), due in CET (UTC+1).
    expect(iso(firstContactDeadline(new Date('2026-10-22T08:00:00Z'), 5))).toBe('2026-10-29T23:00:00.000Z');
    // Summer time starts Sunday 29 Mar 2026: requested in CET, due in CEST.
    expect(iso(firstContactDeadline(new Date('2026-03-26T08:00:00Z'), 5))).toBe('2026-04-02T22:00:00.000Z');
  });

  it('skips Christmas and New Year across the year end', () => {
    // Tue 22 Dec 2026: Wed 23, Thu 24, (Fri 25 Christmas), Mon 28, Tue 29, Wed 30.
    expect(iso(firstContactDeadline(new Date('2026-12-22T09:00:00Z'), 5))).toBe('2026-12-30T23:00:00.000Z');
    expect(iso(firstContactDeadline(new Date('2026-12-22T09:00:00Z'), 5, noHolidays))).toBe('2026-12-29T23:00:00.000Z');
    // Mon 28 Dec 2026: Tue 29, Wed 30, Thu 31, (Fri 1 Jan), Mon 4, Tue 5 Jan 2027.
    expect(iso(firstContactDeadline(new Date('2026-12-28T09:00:00Z'), 5))).toBe('2027-01-05T23:00:00.000Z');
    // 23:59:59 on New Year's Eve in Amsterdam: the request day is 31 Dec, the next working day Mon 4 Jan.
    expect(iso(firstContactDeadline(new Date('2026-12-31T22:59:59Z'), 1))).toBe('2027-01-04T23:00:00.000Z');
  });

  it('skips Easter Monday but not Good Friday', () => {
    // Thu 2 Apr 2026: Fri 3 (Good Friday, a working day), (Mon 6 Easter Monday), Tue 7, Wed 8, Thu 9, Fri 10.
    expect(iso(firstContactDeadline(new Date('2026-04-02T08:00:00Z'), 5))).toBe('2026-04-10T22:00:00.000Z');
  });

  it('takes zero working days as the end of the request day, and refuses nonsense', () => {
    expect(iso(firstContactDeadline(new Date('2026-11-23T10:00:00Z'), 0))).toBe('2026-11-23T23:00:00.000Z');
    expect(() => firstContactDeadline(new Date('2026-11-23T10:00:00Z'), -1)).toThrow(RangeError);
    expect(() => firstContactDeadline(new Date('2026-11-23T10:00:00Z'), 1.5)).toThrow(RangeError);
    expect(() => firstContactDeadline(new Date('nonsense'), 5)).toThrow(RangeError);
  });
});

describe('Dutch public holidays', () => {
  it('computes Easter for any year', () => {
    expect(['2024', '2025', '2026', '2027', '2038'].map((y) => iso(easterSunday(Number(y))).slice(0, 10))).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2038-04-25',
    ]);
  });

  it('lists the holidays of 2025 and 2026', () => {
    const list = (year: number) =>
      [...dutchPublicHolidays(year)].map((t) => new Date(t).toISOString().slice(0, 10)).sort();
    // 2025: King's Day moves to Saturday 26 April (27 April is a Sunday); lustrum year, so Liberation Day too.
    expect(list(2025)).toEqual([
      '2025-01-01',
      '2025-04-21',
      '2025-04-26',
      '2025-05-05',
      '2025-05-29',
      '2025-06-09',
      '2025-12-25',
      '2025-12-26',
    ]);
    expect(list(2026)).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-04-27',
      '2026-05-14',
      '2026-05-25',
      '2026-12-25',
      '2026-12-26',
    ]);
  });
});

describe('Amsterdam calendar days', () => {
  it('maps instants to the Amsterdam date and back', () => {
    expect(iso(amsterdamDay(new Date('2026-06-30T22:30:00Z')))).toBe('2026-07-01T00:00:00.000Z');
    expect(iso(startOfAmsterdamDay(day('2026-07-01')))).toBe('2026-06-30T22:00:00.000Z');
    expect(iso(startOfAmsterdamDay(day('2026-01-01')))).toBe('2025-12-31T23:00:00.000Z');
    expect(calendarDaysBetween(new Date('2026-11-23T22:59:00Z'), new Date('2026-11-23T23:01:00Z'))).toBe(1);
  });
});
