// Personal identifiers as they arrive at the platform's interfaces (REST, FHIR, web app): one schema
// each, so every entry point checks the same rules. They never appear in events (see fields.ts).
import { z } from 'zod';

/**
 * The elfproef (11-proof) of a BSN: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11. Catches every
 * single mistyped digit and most swaps; 000000000 is not a BSN.
 */
export const isValidBsn = (value: string): boolean => {
  if (!/^\d{9}$/.test(value) || value === '000000000') return false;
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 8).reduce((acc, d, i) => acc + (9 - i) * d, 0) - digits[8]!;
  return sum % 11 === 0;
};

export const Bsn = z
  .string()
  .regex(/^\d{9}$/, 'a BSN of 9 digits')
  // One message per mistake: the elfproef only for nine digits.
  .refine((v) => !/^\d{9}$/.test(v) || isValidBsn(v), 'not a valid BSN (fails the elfproef)');

/** RFC 5321 caps a forward path at 254 characters. */
export const EmailAddress = z.email().max(254);

/** Digits, spaces, brackets, dashes and an optional leading +: at most 20 characters. */
export const PhoneNumber = z.string().regex(/^\+?[0-9 ()-]{6,20}$/, 'a phone number');

/** A given or family name. */
export const PersonName = z.string().trim().min(1).max(100);
