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

/** A date search parameter: at most twice (a range), each with an optional prefix. */
const dateRange = z
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
  .max(2);

/** A patient: the pseudonymous subject the reads give, or (patient:identifier only) a BSN to pseudonymise. */
export type PatientValue = Readonly<{ subjectId: string } | { bsn: string }>;
const SUBJECT_ID = /^sub_[0-9a-f]{32}$/;
const patients = (byIdentifier: boolean) =>
  once.transform((values, ctx) =>
    values.map((v): PatientValue => {
      const [system, value] = v.includes('|') ? v.split('|') : [SYSTEMS.subject, v];
      if (system === SYSTEMS.subject && value && SUBJECT_ID.test(value)) return { subjectId: value };
      if (byIdentifier && system === SYSTEMS.bsn && value && /^\d{9}$/.test(value)) return { bsn: value };
      ctx.addIssue({
        code: 'custom',
        message: byIdentifier
          ? `${SYSTEMS.subject}|<subject id> or ${SYSTEMS.bsn}|<bsn>`
          : `[${SYSTEMS.subject}|]<subject id> as the reads give it (a BSN through patient:identifier)`,
      });
      return { subjectId: '' };
    }),
  );
const outputs = once.transform((values, ctx) =>
  values.map((v) => {
    if (!/^(Procedure\/[0-9a-f-]{36}-\d{1,4}|HealthcareService\/[0-9a-f-]{36})$/.test(v))
      ctx.addIssue({ code: 'custom', message: 'a reference Procedure/<id> or HealthcareService/<id>' });
    return v;
  }),
);
const PATIENT = { patient: patients(false).optional(), 'patient:identifier': patients(true).optional() };
const PAGE = {
  _count: z.coerce.number().int().min(1).max(100).default(50),
  _offset: z.coerce.number().int().min(0).default(0),
};

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
  'authored-on': dateRange,
  _lastUpdated: dateRange,
  ...PATIENT,
  output: outputs.optional(),
  ...PAGE,
});

const either = (a: string[] | undefined, b: string[] | undefined): string[] | null =>
  a || b ? [...(a ?? []), ...(b ?? [])] : null;

const parsed = <T extends z.ZodType>(schema: T, query: Record<string, unknown>): z.output<T> => {
  const dated = Object.fromEntries(['authored-on', '_lastUpdated'].map((k) => [k, list(query[k])]));
  const result = schema.safeParse({ ...query, ...dated });
  if (!result.success)
    throw invalidSearch(
      400,
      result.error.issues.map((i) => ({
        path: String(i.path[0] ?? ''),
        message: i.code === 'invalid_type' && i.expected === 'string' ? 'give it once; comma is OR' : i.message,
      })),
    );
  return result.data;
};

/** The index search a Task query asks for; a bad value of a declared parameter is a 400. */
export const parseTaskQuery = (query: Record<string, unknown>) => {
  const q = parsed(TaskQuery, query);
  const ids = either(q._id, q.focus);
  return {
    ids: q._id && q.focus ? q._id.filter((id) => q.focus!.includes(id)) : ids,
    statuses: q.status ?? null,
    requesters: either(q.requester, q['requester:identifier']),
    owners: either(q.owner, q['owner:identifier']),
    // Every Task here has an owner and the code fulfill: these can only rule all out.
    none: q['owner:missing'] === 'true' || (!!q.code && !q.code.some((c) => TASK_CODES.includes(c))),
    includeFocus: list(q._include).includes('Task:focus'),
    includeOutput: list(q._include).includes('Task:output'),
    authoredOn: q['authored-on'],
    lastUpdated: q._lastUpdated,
    patients: q.patient || q['patient:identifier'] ? [...(q.patient ?? []), ...(q['patient:identifier'] ?? [])] : null,
    outputs: q.output ?? null,
    count: q._count,
    offset: q._offset,
  };
};

/** ServiceRequest.status for each referral status: the ServiceRequest search filters on the referral's. */
const SERVICE_REQUEST_STATUSES = ['active', 'on-hold', 'completed', 'revoked', 'entered-in-error'] as const;

const ServiceRequestQuery = z.object({
  _id: once.optional(),
  status: once.pipe(z.array(z.enum(SERVICE_REQUEST_STATUSES))).optional(),
  requester: organisations.optional(),
  'requester:identifier': organisations.optional(),
  ...PATIENT,
  ...PAGE,
});

/** The index search a ServiceRequest query asks for (the index has one row per referral). */
export const parseServiceRequestQuery = (
  query: Record<string, unknown>,
  referralStatusesOf: (status: (typeof SERVICE_REQUEST_STATUSES)[number]) => string[],
) => {
  const q = parsed(ServiceRequestQuery, query);
  return {
    ids: q._id ?? null,
    statuses: q.status ? q.status.flatMap(referralStatusesOf) : null,
    requesters: either(q.requester, q['requester:identifier']),
    owners: null,
    none: false,
    authoredOn: [],
    patients: q.patient || q['patient:identifier'] ? [...(q.patient ?? []), ...(q['patient:identifier'] ?? [])] : null,
    count: q._count,
    offset: q._offset,
  };
};

const CommunicationQuery = z.object({
  'part-of': once.optional(),
  recipient: organisations.optional(),
  'recipient:identifier': organisations.optional(),
  sender: organisations.optional(),
  'sender:identifier': organisations.optional(),
  ...PAGE,
});

/**
 * Feedback by referral (part-of), by the practice it went to (recipient) or the organisation that sent it
 * (sender): the referrals whose Communications to read, from the index.
 */
export const parseCommunicationQuery = (query: Record<string, unknown>) => {
  const q = parsed(CommunicationQuery, query);
  const ids = q['part-of']?.map((v) => {
    const id = /^Task\/([0-9a-f-]{36})$/.exec(v)?.[1];
    if (!id) throw invalidSearch(400, [{ path: 'part-of', message: 'a reference Task/<id>' }]);
    return id;
  });
  const recipients = either(q.recipient, q['recipient:identifier']);
  const senders = either(q.sender, q['sender:identifier']);
  if (!ids && !recipients && !senders)
    throw invalidSearch(400, [
      {
        path: 'part-of',
        message: 'one of part-of (Task/<id>), recipient or sender: feedback is searched per referral or party',
      },
    ]);
  return { ids: ids ?? null, requesters: recipients, owners: senders, count: q._count, offset: q._offset };
};

const PatientQuery = z.object(PATIENT);

/** The `patient` values of a query (either form), or null when it names none; a bad value is a 400. */
export const parsePatientQuery = (query: Record<string, unknown>): PatientValue[] | null => {
  const q = parsed(PatientQuery, { patient: query.patient, 'patient:identifier': query['patient:identifier'] });
  return q.patient || q['patient:identifier'] ? [...(q.patient ?? []), ...(q['patient:identifier'] ?? [])] : null;
};
