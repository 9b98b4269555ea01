import { ageBand, ageOn } from './age-band';

const at = new Date('2025-06-15T12:00:00Z');

describe('ageBand', () => {
  it.each([
    ['2025-06-15', '0-17'],
    ['2007-06-16', '0-17'], // turns 18 tomorrow
    ['2007-06-15', '18-24'], // 18 today
    ['2000-06-16', '18-24'], // still 24
    ['2000-06-15', '25-44'],
    ['1980-06-16', '25-44'],
    ['1980-06-15', '45-64'],
    ['1960-06-16', '45-64'],
    ['1960-06-15', '65-74'],
    ['1950-06-16', '65-74'],
    ['1950-06-15', '75+'],
    ['1920-01-01', '75+'],
  ])('born %s → %s', (birthDate, band) => {
    expect(ageBand(birthDate, at)).toBe(band);
  });

  it('a 29 February birthday counts from 1 March in non-leap years', () => {
    expect(ageOn('2008-02-29', new Date('2026-02-28T00:00:00Z'))).toBe(17);
    expect(ageOn('2008-02-29', new Date('2026-03-01T00:00:00Z'))).toBe(18);
    expect(ageOn('2008-02-29', new Date('2028-02-29T00:00:00Z'))).toBe(20);
  });

  it('rejects malformed, impossible and future dates', () => {
    expect(() => ageBand('15-06-1980', at)).toThrow(RangeError);
    expect(() => ageBand('1980-6-5', at)).toThrow(RangeError);
    expect(() => ageBand('2023-02-29', at)).toThrow(/calendar/);
    expect(() => ageBand('1980-13-01', at)).toThrow(/calendar/);
    expect(() => ageBand('2025-06-16', at)).toThrow(/after/);
  });
});
