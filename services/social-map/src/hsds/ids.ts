// Deterministic UUIDs (RFC 4122 version 5 style, SHA-1 over a namespace and a name), for ids that must
// be the same on every run: built-in taxonomy terms, and parts of entries upcast from old events.
import { createHash } from 'node:crypto';

const NAMESPACE = 'wor-social-map';

export const stableUuid = (...parts: string[]): string => {
  const hash = createHash('sha1')
    .update([NAMESPACE, ...parts].join('\u0000'))
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** Equality of JSON data regardless of key order (entries read back from jsonb come reordered). */
export const sameJson = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
};
