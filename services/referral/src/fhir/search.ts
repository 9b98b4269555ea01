// FHIR search parameters: the names come from the route table. Unknown parameters are ignored with a
// warning in the searchset (FHIR's lenient default); with `Prefer: handling=strict` they are a 400.
import { HttpProblem, type FhirSearchParam } from '@wor/service-kit';
import type { Request } from 'express';
import { z } from 'zod';
import { REFERRAL_STATUSES } from '../referral/events';
import { SYSTEMS } from './mapping';

const invalidSearch = (status: 400 | 422, issues: { path: string; message: string }[]): HttpProblem =>
  new HttpProblem({
    status,
    title: status === 400 ? 'Bad Request' : 'Unprocessable Content',
    detail: 'The search parameters are invalid.',
    extra: { errors: issues },
  });

const isStrict = (req: Request): boolean => /\bhandling\s*=\s*strict\b/i.test(req.get('prefer') ?? '');

/** The query split into the declared parameters and warnings for the rest (or a 400 when strict). */
export const declaredQuery = (req: Request, declared: readonly FhirSearchParam[]) => {
  const query = req.query as Record<string, unknown>;
  const names = new Set(declared.map((p) => p.name));
  const unknown = Object.keys(query).filter((k) => !names.has(k));
  if (unknown.length && isStrict(req))
    throw invalidSearch(
      400,
      unknown.map((k) => ({ path: k, message: 'search parameter not supported' })),
    );
  const known = Object.fromEntries(Object.entries(query).filter(([k]) => names.has(k)));
  const warnings = unknown.map((k) => `Search parameter '${k}' is not supported and was ignored.`);
  return { query: known, warnings };
};

const PREFIXES = { eq: '=', ge: '>=', le: '<=', gt: '>', lt: '<' } as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

const TaskQuery = z.object({
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(REFERRAL_STATUSES)))
    .optional(),
  requester: z
    .string()
    .transform((s) => (s.includes('|') ? s.split('|') : [SYSTEMS.organisation, s]))
    .refine(([system]) => system === SYSTEMS.organisation, `an organisation identifier of ${SYSTEMS.organisation}`)
    .transform(([, value]) => value!)
    .optional(),
  'authored-on': z
    .array(
      z
        .string()
        .regex(
          /^(eq|ge|le|gt|lt)?(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)$/,
          'a date or dateTime with an optional prefix eq, ge, le, gt or lt',
        )
        .transform((s) => {
          const prefix = (/^(eq|ge|le|gt|lt)/.exec(s)?.[1] ?? 'eq') as keyof typeof PREFIXES;
          const value = s.replace(/^(eq|ge|le|gt|lt)/, '');
          return { op: PREFIXES[prefix], value, date: DATE.test(value) };
        }),
    )
    .max(2),
  _count: z.coerce.number().int().min(1).max(100).default(50),
  _offset: z.coerce.number().int().min(0).default(0),
});

/** A bad value of a declared parameter is a 400 (FHIR: the search cannot be done). */
export const parseTaskQuery = (query: Record<string, unknown>) => {
  const result = TaskQuery.safeParse({ ...query, 'authored-on': list(query['authored-on']) });
  if (!result.success)
    throw invalidSearch(
      400,
      result.error.issues.map((i) => ({ path: String(i.path[0] ?? ''), message: i.message })),
    );
  return result.data;
};
