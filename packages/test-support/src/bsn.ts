// Test BSNs: every interface checks the elfproef, so generated ones must pass it too.

const passesElfproef = (value: string): boolean => {
  const digits = [...value].map(Number);
  return (digits.slice(0, 8).reduce((acc, d, i) => acc + (9 - i) * d, 0) - digits[8]!) % 11 === 0;
};

/**
 * Successive distinct BSNs that pass the elfproef, the first at or after `start`. A BSN is 9 digits; a
 * smaller start is written with leading zeros, as an 8-digit BSN is (a plain String() would never pass).
 */
export const bsnSequence = (start = 100_000_000): (() => string) => {
  if (!Number.isInteger(start) || start < 0 || start > 999_999_999) throw new RangeError('a BSN has 9 digits');
  let n = start;
  const nine = (value: number) => String(value).padStart(9, '0');
  return () => {
    while (!passesElfproef(nine(n))) n++;
    if (n > 999_999_999) throw new RangeError('no 9-digit BSN left after the start');
    return nine(n++);
  };
};
