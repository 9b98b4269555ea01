// Reporting never sees birth dates, only these bands.
export const AGE_BANDS = ['0-17', '18-24', '25-44', '45-64', '65-74', '75+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

const parseDate = (value: string): { y: number; m: number; d: number } => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw new RangeError('ageBand: birthDate must be YYYY-MM-DD');
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  // Rejects 2023-02-30 and friends, which Date would roll over.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    throw new RangeError('ageBand: birthDate is not a calendar date');
  return { y, m, d };
};

/** Age in whole years on the UTC calendar date of `at`. Born 29 Feb: a year older on 1 Mar in non-leap years. */
export const ageOn = (birthDate: string, at: Date): number => {
  const b = parseDate(birthDate);
  const [y, m, d] = [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()];
  const age = y - b.y - (m < b.m || (m === b.m && d < b.d) ? 1 : 0);
  if (age < 0) throw new RangeError('ageBand: birthDate is after the reference date');
  return age;
};

export const ageBand = (birthDate: string, at: Date): AgeBand => {
  const age = ageOn(birthDate, at);
  if (age < 18) return '0-17';
  if (age < 25) return '18-24';
  if (age < 45) return '25-44';
  if (age < 65) return '45-64';
  if (age < 75) return '65-74';
  return '75+';
};
