// FHIR R4 API of the referral service under /fhir (HL7 Gravity SDOHCC: ServiceRequest + Task).
// Creating: a transaction Bundle (ServiceRequest + Task) at POST /fhir, or separate calls. In the
// separate-calls flow POST /fhir/ServiceRequest creates the referral (Task status `requested`); the Task
// that follows (POST /fhir/Task, focus ServiceRequest/<id>) adds nothing, so it is checked against the
// referral and answered with the Task that already exists (200). Either way one referral is created.
// Reads carry codes and ids only. Bad input is RFC 9457 problem+json with FHIR paths, nothing stored.
import { HttpProblem, idempotencyKeyOf, parseParams, requireRole, type Role, type ServiceDeps } from '@wor/service-kit';
import { NotFoundError } from '@wor/event-store';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { etagOf, type LoadedReferral, type Referrals } from '../referral/application';
import { actorOf } from '../referral/api';
import { REFERRAL_STATUSES } from '../referral/events';
import { submitReferral } from '../referral/submission';
import {
  checkNewTask,
  fhirPathOf,
  lastModifiedOf,
  serviceRequestToReferral,
  SYSTEMS,
  toCommunications,
  toServiceRequest,
  toTask,
  type Issue,
} from './mapping';
import { searchTasks, type TaskSearch } from './task-index';

const FHIR_JSON = 'application/fhir+json';
const REFERRER: Role[] = ['gp-system', 'referrer'];
const PARTIES: Role[] = [...REFERRER, 'coordinator', 'coach'];
const Params = z.object({ id: z.uuid() });

const invalid = (issues: Issue[], detail = 'The FHIR resource is invalid.'): HttpProblem =>
  new HttpProblem({ status: 422, title: 'Unprocessable Content', detail, extra: { errors: issues } });

const sendFhir = (res: Response, status: number, body: unknown, loaded?: LoadedReferral): void => {
  if (loaded)
    res
      .setHeader('ETag', etagOf(loaded.version))
      .setHeader('Last-Modified', new Date(lastModifiedOf(loaded)).toUTCString());
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
};

/** submitReferral's own 422s name submission fields; FHIR clients get the FHIR path they sent. */
const withFhirPaths = async <T>(origins: Map<string, string>, root: string, work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpProblem && error.status === 422 && Array.isArray(error.extra.errors))
      throw invalid(
        (error.extra.errors as Issue[]).map((i) => ({ path: fhirPathOf(i.path, origins, root), message: i.message })),
        error.detail,
      );
    throw error;
  }
};

const referenceId = (reference: unknown, type: string): string | undefined => {
  const match = typeof reference === 'string' ? new RegExp(`^${type}/([0-9a-f-]{36})$`).exec(reference) : null;
  return match?.[1];
};

// ---------- search parameters ----------

const PREFIXES = { eq: '=', ge: '>=', le: '<=', gt: '>', lt: '<' } as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

const Search = z.object({
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

const parseSearch = (req: Request) => {
  const query = req.query as Record<string, unknown>;
  const unknown = Object.keys(query).filter(
    (k) => !['status', 'requester', 'authored-on', '_count', '_offset'].includes(k),
  );
  if (unknown.length)
    throw invalid(
      unknown.map((k) => ({ path: k, message: 'search parameter not supported' })),
      'The search parameters are invalid.',
    );
  const result = Search.safeParse({ ...query, 'authored-on': list(query['authored-on']) });
  if (!result.success)
    throw invalid(
      result.error.issues.map((i) => ({ path: String(i.path[0] ?? ''), message: i.message })),
      'The search parameters are invalid.',
    );
  return result.data;
};

export type FhirRouteDeps = Readonly<{
  referrals: Referrals;
  deps: ServiceDeps;
  /** Read-your-writes for searches: the task index projector's catchUp (waits for earlier commits to be visible). */
  catchUp?: () => Promise<void>;
}>;

export const fhirRoutes =
  ({ referrals, deps, catchUp }: FhirRouteDeps) =>
  (router: Router): void => {
    const submit = async (res: Response, resource: unknown, root: string) => {
      const mapped = serviceRequestToReferral(resource, root);
      if (!mapped.ok) throw invalid(mapped.issues);
      return {
        mapped,
        submit: () =>
          withFhirPaths(mapped.origins, root, () =>
            submitReferral(referrals, mapped.referral, actorOf(res, REFERRER), {
              pseudonymSecret: deps.pseudonymSecret,
              now: deps.now(),
              idempotencyKey: idempotencyKeyOf(res),
            }),
          ),
      };
    };

    router.post('/fhir/ServiceRequest', requireRole(...REFERRER), async (req, res) => {
      const result = await (await submit(res, req.body, 'ServiceRequest')).submit();
      res.location(`/fhir/ServiceRequest/${result.state.referralId}`);
      sendFhir(res, result.created ? 201 : 200, toServiceRequest(result), result);
    });

    router.post('/fhir/Task', requireRole(...REFERRER), async (req, res) => {
      const body = req.body as { focus?: { reference?: unknown }; basedOn?: { reference?: unknown }[] };
      const id =
        referenceId(body?.focus?.reference, 'ServiceRequest') ??
        referenceId(body?.basedOn?.[0]?.reference, 'ServiceRequest');
      if (!id)
        throw invalid([
          { path: 'Task.focus', message: 'a reference ServiceRequest/<id> to the ServiceRequest posted first' },
        ]);
      let loaded: LoadedReferral;
      try {
        loaded = await referrals.loadFor(id, actorOf(res, REFERRER), 'referrer');
      } catch (error) {
        if (error instanceof NotFoundError)
          throw invalid([
            { path: 'Task.focus', message: 'no ServiceRequest of yours with this id; POST the ServiceRequest first' },
          ]);
        throw error;
      }
      const issues = checkNewTask(req.body, {
        focus: `ServiceRequest/${id}`,
        practiceId: loaded.state.practiceId,
        recipientOrganisationId: loaded.state.recipientOrganisationId,
      });
      if (issues.length) throw invalid(issues);
      res.location(`/fhir/Task/${id}`);
      sendFhir(res, 200, toTask(loaded), loaded);
    });

    router.post('/fhir', requireRole(...REFERRER), async (req, res) => {
      const bundle = req.body as { resourceType?: unknown; type?: unknown; entry?: unknown };
      if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction')
        throw invalid([{ path: 'Bundle.type', message: "a Bundle of type 'transaction'" }]);
      const entries = Array.isArray(bundle.entry)
        ? (bundle.entry as {
            fullUrl?: unknown;
            resource?: { resourceType?: unknown };
            request?: { method?: unknown };
          }[])
        : [];
      const at = (type: string) => entries.findIndex((e) => e?.resource?.resourceType === type);
      const sr = at('ServiceRequest');
      const task = at('Task');
      if (entries.length !== 2 || sr < 0 || task < 0)
        throw invalid([{ path: 'Bundle.entry', message: 'exactly one ServiceRequest and one Task (the referral)' }]);
      const issues: Issue[] = [];
      for (const i of [sr, task])
        if (entries[i]!.request?.method !== 'POST')
          issues.push({ path: `Bundle.entry[${i}].request.method`, message: "must be 'POST'" });
      const fullUrl = entries[sr]!.fullUrl;
      if (typeof fullUrl !== 'string' || !/^urn:uuid:[0-9a-f-]{36}$/.test(fullUrl))
        issues.push({ path: `Bundle.entry[${sr}].fullUrl`, message: 'a urn:uuid the Task can reference' });
      if (issues.length) throw invalid(issues);
      // Everything is checked before anything is stored: a bad Task stores no ServiceRequest either.
      const root = `Bundle.entry[${sr}].resource`;
      const { mapped, submit: store } = await submit(res, entries[sr]!.resource, root);
      const taskIssues = checkNewTask(
        entries[task]!.resource,
        {
          focus: fullUrl as string,
          practiceId: mapped.referral.practiceId,
          recipientOrganisationId: mapped.referral.recipientOrganisationId,
        },
        `Bundle.entry[${task}].resource`,
      );
      if (taskIssues.length) throw invalid(taskIssues);
      const result = await store();
      const status = result.created ? '201 Created' : '200 OK';
      const id = result.state.referralId;
      const response = (type: string, resource: unknown) => ({
        fullUrl: `${type}/${id}`,
        resource,
        response: {
          status,
          location: `${type}/${id}/_history/${result.version}`,
          etag: etagOf(result.version),
          lastModified: lastModifiedOf(result),
        },
      });
      const answers = [];
      answers[sr] = response('ServiceRequest', toServiceRequest(result));
      answers[task] = response('Task', toTask(result));
      sendFhir(res, 200, { resourceType: 'Bundle', type: 'transaction-response', entry: answers });
    });

    router.get('/fhir/ServiceRequest/:id', requireRole(...PARTIES), async (req, res) => {
      const { id } = parseParams(Params, req);
      const loaded = await referrals.loadFor(id, actorOf(res, PARTIES));
      sendFhir(res, 200, toServiceRequest(loaded), loaded);
    });

    router.get('/fhir/Task/:id', requireRole(...PARTIES), async (req, res) => {
      const { id } = parseParams(Params, req);
      const loaded = await referrals.loadFor(id, actorOf(res, PARTIES));
      sendFhir(res, 200, toTask(loaded), loaded);
    });

    router.get('/fhir/Task', requireRole(...PARTIES), async (req, res) => {
      const query = parseSearch(req);
      const actor = actorOf(res, PARTIES);
      if (!actor.organisationId)
        throw new HttpProblem({
          status: 403,
          title: 'Forbidden',
          detail: 'The token names no organisation to search for.',
        });
      // Read-your-writes: the projector's catchUp waits until earlier commits are readable.
      await catchUp?.();
      const search: TaskSearch = {
        organisationId: actor.organisationId,
        statuses: query.status ?? null,
        requester: query.requester ?? null,
        authoredOn: query['authored-on'],
        count: query._count,
        offset: query._offset,
      };
      const { ids, total } = await searchTasks(deps.pool, search);
      const loaded = await Promise.all(ids.map((id) => referrals.loadFor(id, actor)));
      sendFhir(res, 200, {
        resourceType: 'Bundle',
        type: 'searchset',
        total,
        link: [{ relation: 'self', url: req.originalUrl }],
        entry: loaded.map((l) => ({
          fullUrl: `Task/${l.state.referralId}`,
          resource: toTask(l),
          search: { mode: 'match' },
        })),
      });
    });

    // Terugkoppeling: referrals.feedback decides on access to the messages and logs it (NEN 7513).
    const feedback = async (res: Response, id: string) => {
      const loaded = await referrals.feedback(id, actorOf(res, PARTIES));
      const communications = toCommunications(loaded);
      res.setHeader('Cache-Control', 'no-store');
      sendFhir(res, 200, {
        resourceType: 'Bundle',
        type: 'searchset',
        total: communications.length,
        entry: communications.map((c) => ({
          fullUrl: `Communication/${c.id}`,
          resource: c,
          search: { mode: 'match' },
        })),
      });
    };

    router.get('/fhir/Task/:id/$feedback', requireRole(...PARTIES), async (req, res) => {
      const { id } = parseParams(Params, req);
      await feedback(res, id);
    });

    router.get('/fhir/Communication', requireRole(...PARTIES), async (req, res) => {
      const partOf = (req.query as Record<string, unknown>)['part-of'];
      const id = referenceId(partOf, 'Task');
      if (!id)
        throw invalid(
          [{ path: 'part-of', message: 'a reference Task/<id>: feedback is searched per referral' }],
          'The search parameters are invalid.',
        );
      await feedback(res, id);
    });
  };
