// Checks HSDS does not make but a Dutch sociale kaart cares about: warnings in the import report, never
// refusals (the value is imported as it came). Each names what it is about and why it matters.
import { own } from '../hsds/fields';

type Row = Record<string, unknown>;
export type Advice = { path: string; reason: string };

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const time = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-]\d{2}:?\d{2})?$/;
const rruleDays = /^([+-]?\d?(MO|TU|WE|TH|FR|SA|SU))(,[+-]?\d?(MO|TU|WE|TH|FR|SA|SU))*$/;

type Check = (value: unknown) => string | undefined;
const matches =
  (pattern: RegExp, reason: string): Check =>
  (value) =>
    typeof value === 'string' && !pattern.test(value) ? reason : undefined;
const date = matches(isoDate, 'not an ISO 8601 date (2026-01-31); schedules and prices show it as written');

/** Per kind of nested item (its key in the JSON form): field → check. */
const CHECKS: Record<string, Record<string, Check>> = {
  addresses: {
    postal_code: matches(
      /^\d{4} ?[A-Z]{2}$/,
      'not a Dutch postcode (1234 AB); the postcode search matches it as written',
    ),
    country: matches(/^[A-Z]{2}$/, 'not an ISO 3166-1 alpha-2 code (NL)'),
  },
  schedules: {
    valid_from: date,
    valid_to: date,
    dtstart: date,
    until: date,
    opens_at: matches(time, 'not a time like 09:30 (with Z or an offset as HSDS asks)'),
    closes_at: matches(time, 'not a time like 17:00 (with Z or an offset as HSDS asks)'),
    byday: matches(rruleDays, 'not RRULE days like MO,WE or 1TU'),
    attending_type: (v) =>
      typeof v === 'string' && v.length > 50 ? 'longer than 50 characters; screens show a short label' : undefined,
  },
  cost_options: {
    valid_from: date,
    valid_to: date,
    currency: matches(/^[A-Z]{3}$/, 'not an ISO 4217 code in capitals (EUR); amounts are shown without it'),
  },
  languages: {
    code: matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'not an ISO 639 code (nl, tr); the language filter skips it'),
  },
};

const between =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === 'number' && (value < min || value > max)
      ? `not WGS84 degrees (${min} to ${max}); proximity search leaves the location out`
      : undefined;
/** Checks of an entity itself (a location is an item of `locations`). */
CHECKS.locations = { latitude: between(-90, 90), longitude: between(-180, 180) };

/** Walks an entry as it came and returns every advice, with paths like `locations[0].addresses[1].postal_code`. */
export const adviceFor = (row: unknown, path = ''): Advice[] => {
  if (typeof row !== 'object' || row === null) return [];
  const found: Advice[] = [];
  for (const [key, value] of Object.entries(row as Row)) {
    if (!Array.isArray(value)) {
      if (typeof value === 'object' && value !== null) found.push(...adviceFor(value, `${path}${key}.`));
      continue;
    }
    value.forEach((item, i) => {
      const at = `${path}${key}[${i}]`;
      const checks = own(CHECKS, key);
      if (checks && typeof item === 'object' && item !== null)
        for (const [field, check] of Object.entries(checks)) {
          const reason = check((item as Row)[field]);
          if (reason) found.push({ path: `${at}.${field}`, reason });
        }
      found.push(...adviceFor(item, `${at}.`));
    });
  }
  return found;
};
