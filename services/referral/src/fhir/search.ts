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

/**
 * The query split into the declared parameters (with their declared modifiers, and _include of the
 * declared includes) and warnings for the rest, or a 400 for the rest when the client asks for strict.
 */
export const declaredQuery = (req: Request, declared: readonly FhirSearchParam[], includes: readonly string[] = []) => {
  const query = req.query as Record<string, unknown>;
  const known = (key: string): boolean => isDeclared(key, declared, includes);
  const unknown = Object.keys(query).filter((k) => !known(k));
  if (unknown.length && isStrict(req))
    throw invalidSearch(
      400,
      unknown.map((k) => ({ path: k, message: 'search parameter not supported' })),
    );
  const kept = Object.fromEntries(Object.entries(query).filter(([k]) => known(k)));
  const warnings = unknown.map((k) => `Search parameter '${k}' is not supported and was ignored.`);
  for (const include of list(query._include))
    if (!includes.includes(include)) warnings.push(`_include=${include} is not supported and was ignored.`);
  return { query: kept, warnings };
};

/** Whether a query key is a declared parameter (with one of its declared modifiers), or _include of declared ones. */
export const isDeclared = (key: string, declared: readonly FhirSearchParam[], includes: readonly string[] = []) => {
  if (key === '_include') return includes.length > 0;
  const [name, modifier, ...rest] = key.split(':');
  const param = declared.find((p) => p.name === name);
  return !!param && rest.length === 0 && (modifier === undefined || (param.modifiers ?? []).includes(modifier));
};

const PREFIXES = { eq: '=', ge: '>=', le: '<=', gt: '>', lt: '<' } as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** One occurrence of a parameter (comma is OR); repeating it (AND) is not supported. */
const once = z.string().transform((v) => v.split(',').filter(Boolean));
const organisations = once.transform((values, ctx) =>
  values.map((v) => {
    const [system, value] = v.includes('|') ? v.split('|') : [SYSTEMS.organisation, v];
    if (system !== SYSTEMS.organisation || !value)
      ctx.addIssue({ code: 'custom', message: `an organisation identifier of ${SYSTEMS.organisation}` });
    return value ?? '';
  }),
);
const focus = once.transform((values, ctx) =>
  values.map((v) => {
    const id = /^ServiceRequest\/([0-9a-f-]{36})$/.exec(v)?.[1];
    if (!id) ctx.addIssue({ code: 'custom', message: 'a reference ServiceRequest/<id>' });
    return id ?? '';
  }),
);
const TASK_CODES = ['fulfill', `${SYSTEMS.taskCode}|fulfill`];

const TaskQuery = z.object({
  _id: once.optional(),
  status: once.pipe(z.array(z.enum(REFERRAL_STATUSES))).optional(),
  code: once.optional(),
  requester: organisations.optional(),
  'requester:identifier': organisations.optional(),
  owner: organisations.optional(),
  'owner:identifier': organisations.optional(),
  'owner:missing': z.enum(['true', 'false']).optional(),
  focus: focus.optional(),
  _include: z.union([z.string(), z.array(z.string())]).optional(),
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

const either = (a: string[] | undefined, b: string[] | undefined): string[] | null =>
  a || b ? [...(a ?? []), ...(b ?? [])] : null;

/** The index search a Task query asks for; a bad value of a declared parameter is a 400. */
export const parseTaskQuery = (query: Record<string, unknown>) => {
  const result = TaskQuery.safeParse({ ...query, 'authored-on': list(query['authored-on']) });
  if (!result.success)
    throw invalidSearch(
      400,
      result.error.issues.map((i) => ({
        path: String(i.path[0] ?? ''),
        message: i.code === 'invalid_type' && i.expected === 'string' ? 'give it once; comma is OR' : i.message,
      })),
    );
  const q = result.data;
  const ids = either(q._id, q.focus);
  return {
    ids: q._id && q.focus ? q._id.filter((id) => q.focus!.includes(id)) : ids,
    statuses: q.status ?? null,
    requesters: either(q.requester, q['requester:identifier']),
    owners: either(q.owner, q['owner:identifier']),
    // Every Task here has an owner and the code fulfill: these can only rule all out.
    none: q['owner:missing'] === 'true' || (!!q.code && !q.code.some((c) => TASK_CODES.includes(c))),
    includeFocus: list(q._include).includes('Task:focus'),
    authoredOn: q['authored-on'],
    count: q._count,
    offset: q._offset,
  };
};
