// Test BSNs: every interface checks the elfproef, so generated ones must pass it too.

const passesElfproef = (value: string): boolean => {
  const digits = [...value].map(Number);
  return (digits.slice(0, 8).reduce((acc, d, i) => acc + (9 - i) * d, 0) - digits[8]!) % 11 === 0;
};

/** Successive distinct BSNs that pass the elfproef, the first at or after `start` (9 digits). */
export const bsnSequence = (start = 100_000_000): (() => string) => {
  let n = start;
  return () => {
    while (!passesElfproef(String(n))) n++;
    return String(n++);
  };
};
