import { bsnSequence } from './bsn';

const elfproef = (bsn: string) =>
  [...bsn].reduce((sum, digit, i) => sum + (i < 8 ? 9 - i : -1) * Number(digit), 0) % 11 === 0;

describe('test BSNs', () => {
  it('are nine digits that pass the elfproef, distinct and ascending', () => {
    const next = bsnSequence();
    const drawn = Array.from({ length: 50 }, next);
    expect(drawn.every((bsn) => /^\d{9}$/.test(bsn) && elfproef(bsn))).toBe(true);
    expect([...drawn].sort()).toEqual(drawn);
    expect(new Set(drawn).size).toBe(50);
  });

  it('write a start below 100 000 000 with leading zeros, as an 8-digit BSN is, right away', () => {
    const bsn = bsnSequence(30_000_000)();
    expect(bsn).toMatch(/^0300000\d\d$/);
    expect(elfproef(bsn)).toBe(true);
  });

  it('refuse a start that is not a 9-digit number', () => {
    expect(() => bsnSequence(1_000_000_000)).toThrow(RangeError);
    expect(() => bsnSequence(-1)).toThrow(RangeError);
  });
});
