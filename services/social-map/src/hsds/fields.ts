// Which fields HSDS 3.0 (and the WoR profile) defines where, from the tabular definition in ./tables.ts:
// key-users' bodies are checked for typos against it; imports keep unknown fields and only warn. Text with
// a NUL character is refused everywhere: PostgreSQL's jsonb cannot hold it.
import type { z } from 'zod';
import { CHILDREN, RESOURCES, type Resource } from './tables';

/** One-to-one nestings of the JSON form. */
const NESTED: Partial<Record<Resource, Record<string, Resource>>> = {
  service: { organization: 'organization', program: 'program' },
  service_at_location: { location: 'location' },
  attribute: { taxonomy_term: 'taxonomy_term' },
  taxonomy_term: { taxonomy_detail: 'taxonomy' },
};
const PROFILE: Partial<Record<Resource, string[]>> = {
  service: ['wijken', 'dimensions', 'referral_reasons', 'capacity_status'],
};

/** A caller's field name is looked up among a table's own keys: `valueOf` or `constructor` is not in it. */
export const own = <T>(table: Record<string, T> | undefined, key: string): T | undefined =>
  table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;

export type FieldProblem = { path: (string | number)[]; kind: 'unknown' | 'nul'; message: string };

export const fieldProblems = (resource: Resource, value: unknown, path: (string | number)[] = []): FieldProblem[] => {
  if (typeof value === 'string')
    return value.includes('\u0000') ? [{ path, kind: 'nul', message: 'a NUL character is not text' }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => fieldProblems(resource, item, [...path, i]));
  if (typeof value !== 'object' || value === null) return [];
  const problems: FieldProblem[] = [];
  const fields = RESOURCES[resource].fields.map((f) => f.name) as string[];
  for (const [key, item] of Object.entries(value)) {
    const child =
      own(CHILDREN[resource], key) ??
      own(NESTED[resource], key) ??
      (key === 'attributes'
        ? 'attribute'
        : key === 'metadata'
          ? 'metadata'
          : key === 'services'
            ? 'service'
            : undefined);
    if (child) problems.push(...fieldProblems(child, item, [...path, key]));
    else if (fields.includes(key) || PROFILE[resource]?.includes(key))
      problems.push(...fieldProblems(resource, typeof item === 'string' ? item : null, [...path, key]));
    else problems.push({ path: [...path, key], kind: 'unknown', message: `not an HSDS 3.0 field of ${resource}` });
  }
  return problems;
};

/** A zod refinement for what key-users send: HSDS fields only (a typo is refused), no NUL characters. */
export const onlyHsdsFields =
  (resource: Resource) =>
  (value: unknown, ctx: z.RefinementCtx): void => {
    for (const p of fieldProblems(resource, value)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  };
