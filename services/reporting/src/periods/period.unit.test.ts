import { daysInYear, isLeapYear, parsePeriod, shareOfYear, twoMonthPeriods } from './period';

describe('measurement periods', () => {
  it('parses years, quarters and two-month periods into local date ranges', () => {
    expect(parsePeriod('2026')).toMatchObject({
      kind: 'year',
      from: '2026-01-01',
      to: '2026-12-31',
      until: '2027-01-01',
      days: 365,
    });
    expect(parsePeriod('2026-Q4')).toMatchObject({
      kind: 'quarter',
      from: '2026-10-01',
      to: '2026-12-31',
      until: '2027-01-01',
      days: 92,
    });
    expect(parsePeriod('2026-B3')).toMatchObject({
      kind: 'two-month',
      from: '2026-05-01',
      to: '2026-06-30',
      until: '2026-07-01',
      days: 61,
    });
    expect(parsePeriod('2026-B6')).toMatchObject({ from: '2026-11-01', to: '2026-12-31', until: '2027-01-01' });
  });

  it('counts February 29 in leap years (2024, 2000) and not in 2100 or 2026', () => {
    expect([2024, 2000, 2100, 2026].map(isLeapYear)).toEqual([true, true, false, false]);
    expect(parsePeriod('2024')?.days).toBe(366);
    expect(parsePeriod('2024-B1')).toMatchObject({ to: '2024-02-29', days: 60 });
    expect(parsePeriod('2026-B1')).toMatchObject({ to: '2026-02-28', days: 59 });
    expect(parsePeriod('2024-Q1')?.days).toBe(91);
    expect(daysInYear(2024)).toBe(366);
    expect(shareOfYear(parsePeriod('2024-B1')!)).toBeCloseTo(60 / 366);
  });

  it('refuses anything else', () => {
    for (const id of ['2026-Q5', '2026-B7', '2026-B0', '26', '2026-01', '1999', 'x2026'])
      expect(parsePeriod(id)).toBeUndefined();
  });

  it('lists the six two-month periods of a year, covering it without gaps', () => {
    const periods = twoMonthPeriods(2028);
    expect(periods.map((p) => p.id)).toEqual(['2028-B1', '2028-B2', '2028-B3', '2028-B4', '2028-B5', '2028-B6']);
    periods.slice(1).forEach((p, i) => expect(p.from).toBe(periods[i]!.until));
    expect(periods.reduce((s, p) => s + p.days, 0)).toBe(366);
  });
});
