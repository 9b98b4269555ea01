// FHIR R4 API of the referral service under /fhir (HL7 Gravity SDOHCC: ServiceRequest + Task). The
// routes are those of the route table (routes.ts); GET /fhir/metadata describes them, without a token.
// Creating: a transaction Bundle (ServiceRequest + Task) at POST /fhir, or two creates. POST /fhir/ServiceRequest
// does the submission (consent, sealing) and creates the order, awaiting its Task: until POST /fhir/Task (focus
// ServiceRequest/<id>) creates that Task, it is the requester's alone (no Task to read or find; the recipient
// sees nothing). A second Task is refused (409) unless If-None-Exist asks for the one that exists (200).
// Reads carry codes and ids only. Errors are OperationOutcome with FHIRPaths (service-kit's error
// handler); nothing is stored on bad input.
import {
  capabilityStatementOf,
  fhirBaseOf,
  fhirSelfOf,
  HttpProblem,
  idempotencyKeyOf,
  mountFhirRoutes,
  rolesOf,
  sendFhir,
  searchset,
  type FhirSettings,
  type Role,
  type ServiceDeps,
} from '@wor/service-kit';
import { NotFoundError, StaleVersionError } from '@wor/event-store';
import { pseudonymise } from '@wor/privacy';
import type { Bundle, BundleEntry } from 'fhir/r4';
import type { Request, RequestHandler, Response, Router } from 'express';
import { etagOf, sideOf, type Actor, type LoadedReferral, type Referrals } from '../referral/application';
import type { Procedures } from '../procedure/procedures';
import { actorOf, expectedVersionOf } from '../referral/api';
import { STEPS } from '../referral/steps';
import { submitReferral } from '../referral/submission';
import {
  checkNewTask,
  fhirPathOf,
  lastModifiedOf,
  SERVICE_REQUEST_STATUS,
  serviceRequestToReferral,
  toCommunications,
  toServiceRequest,
  toTask,
  type Issue,
} from './mapping';
import { atVersion, historyOf, taskCreatedAt } from './history';
import { REFERRAL_FHIR_ROUTES as ROUTES, referralCapability } from './routes';
import { sendPage } from './page';
import { procedureHandlers } from './procedure-api';
import { toProcedure } from './procedure';
import {
  declaredQuery,
  parseCommunicationQuery,
  parsePatientQuery,
  parseServiceRequestQuery,
  parseTaskQuery,
  type PatientValue,
} from './search';
import { ifNoneExistOf, matchingTasks, taskExists, tooManyMatches } from './task-create';
import { searchTasks, type TaskSearch } from './task-index';
import { readTaskChange, stepsFor } from './task-update';

const REFERRER = rolesOf(ROUTES.createServiceRequest.policy);
const PARTIES = rolesOf(ROUTES.readTask.policy);
/** How many referrals a search that is not paged by referral (Communication, Procedure by patient) reads. */
const INDEXED_AT_MOST = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const invalid = (issues: Issue[], detail = 'The FHIR resource is invalid.'): HttpProblem =>
  new HttpProblem({ status: 422, title: 'Unprocessable Content', detail, extra: { errors: issues } });

/** A FHIR id that is no referral id names nothing here: 404, as for an id of nobody's referral. */
const idOf = (req: Request): string => {
  const id = String(req.params.id ?? '');
  if (!UUID.test(id)) throw new NotFoundError('No such resource.');
  return id;
};

const vidOf = (req: Request): number => {
  const vid = String(req.params.vid ?? '');
  if (!/^\d{1,9}$/.test(vid)) throw new NotFoundError('No such version.');
  return Number(vid);
};

const sendVersioned = (res: Response, status: number, body: unknown, loaded: LoadedReferral): void => {
  res
    .setHeader('ETag', etagOf(loaded.version))
    .setHeader('Last-Modified', new Date(lastModifiedOf(loaded)).toUTCString());
  sendFhir(res, status, body);
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

/** The referral's Task, which an order awaiting it does not have yet. */
const withTask = (loaded: LoadedReferral): LoadedReferral => {
  if (loaded.state.awaitingTask) throw new NotFoundError('No such Task: its ServiceRequest awaits POST /fhir/Task.');
  return loaded;
};

export type FhirRouteDeps = Readonly<{
  referrals: Referrals;
  deps: ServiceDeps;
  fhir: FhirSettings;
  /** FHIR Procedures (procedure/): their own stream per referral. */
  procedures: Procedures;
  /** Read-your-writes for searches: the task index projector's catchUp (waits for earlier commits to be visible). */
  catchUp?: () => Promise<void>;
  /** The capacity's HealthcareService routes (capacity/fhir.ts). */
  healthcareService: { read: RequestHandler; search: RequestHandler };
  /** The Subscription routes (subscriptions/api.ts). */
  subscriptions: Record<SubscriptionRoute, RequestHandler>;
}>;

type SubscriptionRoute =
  'createSubscription' | 'readSubscription' | 'searchSubscription' | 'updateSubscription' | 'subscriptionStatus';

/** GET /fhir/metadata: the CapabilityStatement of the route table; public (it holds no data). */
export const fhirMetadataRoute =
  (fhir: FhirSettings) =>
  (router: Router): void => {
    router.get('/fhir/metadata', (req, res) =>
      sendFhir(res, 200, capabilityStatementOf(ROUTES, referralCapability(fhir.canonicalBase), fhirBaseOf(req, fhir))),
    );
  };

export const fhirRoutes =
  ({ referrals, deps, fhir, catchUp, healthcareService, procedures, subscriptions }: FhirRouteDeps) =>
  (router: Router): void => {
    const organisationOf = (actor: Actor): string => {
      if (!actor.organisationId)
        throw new HttpProblem({
          status: 403,
          title: 'Forbidden',
          detail: 'The token names no organisation to search for.',
        });
      return actor.organisationId;
    };

    /** Pseudonymous subjects of `patient` values; a BSN is pseudonymised first, and that lookup is logged. */
    const subjectsOf = async (values: PatientValue[] | null, actor: Actor, resourceType: string) => {
      if (!values) return null;
      const subjects: string[] = [];
      for (const v of values)
        if ('subjectId' in v) subjects.push(v.subjectId);
        else {
          const subjectId = pseudonymise(v.bsn, deps.pseudonymSecret);
          await referrals.recordSearchByBsn(subjectId, actor, resourceType);
          subjects.push(subjectId);
        }
      return subjects;
    };

    /** Referral ids of the caller's organisation matching an index search (the first INDEXED_AT_MOST), and how many match. */
    const indexed = async (actor: Actor, search: Omit<TaskSearch, 'organisationId' | 'count' | 'offset'>) => {
      await catchUp?.();
      return searchTasks(deps.pool, {
        organisationId: organisationOf(actor),
        ...search,
        count: INDEXED_AT_MOST,
        offset: 0,
      });
    };
    const submit = async (res: Response, resource: unknown, root: string, options: { withTask: boolean }) => {
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
              withTask: options.withTask,
            }),
          ),
      };
    };

    const sendTask = (req: Request, res: Response, status: number, loaded: LoadedReferral) => {
      res.location(`${fhirBaseOf(req, fhir)}/Task/${loaded.state.referralId}/_history/${loaded.version}`);
      sendVersioned(res, status, toTask(loaded), loaded);
    };

    // Terugkoppeling: referrals.feedback decides on access to the messages and logs it (NEN 7513).
    const feedback = async (req: Request, res: Response, id: string) => {
      const loaded = await referrals.feedback(id, actorOf(res, PARTIES));
      withTask(loaded);
      res.setHeader('Cache-Control', 'no-store');
      sendFhir(
        res,
        200,
        searchset({
          base: fhirBaseOf(req, fhir),
          self: fhirSelfOf(req, fhir),
          total: loaded.feedback.length,
          matches: toCommunications(loaded),
        }),
      );
    };

    /** The referral for an update; another organisation's attempt is logged as denied, then a 404 like any. */

    const handlers: Record<keyof typeof ROUTES, RequestHandler> = {
      readHealthcareService: healthcareService.read,
      searchHealthcareService: healthcareService.search,
      ...subscriptions,
      createServiceRequest: async (req, res) => {
        const result = await (await submit(res, req.body, 'ServiceRequest', { withTask: false })).submit();
        res.location(`${fhirBaseOf(req, fhir)}/ServiceRequest/${result.state.referralId}/_history/${result.version}`);
        sendVersioned(res, result.created ? 201 : 200, toServiceRequest(result), result);
      },

      createTask: async (req, res) => {
        const body = req.body as { focus?: { reference?: unknown }; basedOn?: { reference?: unknown }[] };
        const id =
          referenceId(body?.focus?.reference, 'ServiceRequest') ??
          referenceId(body?.basedOn?.[0]?.reference, 'ServiceRequest');
        if (!id)
          throw invalid([
            { path: 'Task.focus', message: 'a reference ServiceRequest/<id> to the ServiceRequest posted first' },
          ]);
        const actor = actorOf(res, REFERRER);
        let loaded: LoadedReferral;
        try {
          loaded = await referrals.loadFor(id, actor, 'referrer');
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
        const condition = ifNoneExistOf(req);
        if (condition) {
          await catchUp?.();
          const { ids, total } = await matchingTasks(deps.pool, actor.organisationId ?? '', condition);
          if (total > 1) throw tooManyMatches(total);
          if (total === 1) return sendTask(req, res, 200, await referrals.loadFor(ids[0]!, actor));
        }
        if (!loaded.state.awaitingTask) throw taskExists(fhirBaseOf(req, fhir), id);
        sendTask(req, res, 201, await referrals.createTask(id, undefined, actor));
      },

      transaction: async (req, res) => {
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
        const { mapped, submit: store } = await submit(res, entries[sr]!.resource, root, { withTask: true });
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
        const base = fhirBaseOf(req, fhir);
        const response = (type: string, resource: BundleEntry['resource']): BundleEntry => ({
          fullUrl: `${base}/${type}/${id}`,
          resource,
          response: {
            status,
            location: `${type}/${id}/_history/${result.version}`,
            etag: etagOf(result.version),
            lastModified: lastModifiedOf(result),
          },
        });
        const answers: BundleEntry[] = [];
        answers[sr] = response('ServiceRequest', toServiceRequest(result) as BundleEntry['resource']);
        answers[task] = response('Task', toTask(result) as BundleEntry['resource']);
        const answer: Bundle = { resourceType: 'Bundle', type: 'transaction-response', entry: answers };
        sendFhir(res, 200, answer);
      },

      readServiceRequest: async (req, res) => {
        const loaded = await referrals.loadFor(idOf(req), actorOf(res, PARTIES));
        sendVersioned(res, 200, toServiceRequest(loaded), loaded);
      },

      vreadServiceRequest: async (req, res) => {
        const loaded = atVersion(await referrals.loadFor(idOf(req), actorOf(res, PARTIES)), vidOf(req));
        sendVersioned(res, 200, toServiceRequest(loaded), loaded);
      },

      historyServiceRequest: async (req, res) => {
        const loaded = await referrals.loadFor(idOf(req), actorOf(res, PARTIES));
        sendFhir(res, 200, historyOf(loaded, toServiceRequest, fhirBaseOf(req, fhir), fhirSelfOf(req, fhir)));
      },

      readTask: async (req, res) => {
        const loaded = withTask(await referrals.loadFor(idOf(req), actorOf(res, PARTIES)));
        sendVersioned(res, 200, toTask(loaded), loaded);
      },

      vreadTask: async (req, res) => {
        const loaded = withTask(atVersion(await referrals.loadFor(idOf(req), actorOf(res, PARTIES)), vidOf(req)));
        sendVersioned(res, 200, toTask(loaded), loaded);
      },

      historyTask: async (req, res) => {
        const loaded = withTask(await referrals.loadFor(idOf(req), actorOf(res, PARTIES)));
        const from = taskCreatedAt(loaded);
        sendFhir(res, 200, historyOf(loaded, toTask, fhirBaseOf(req, fhir), fhirSelfOf(req, fhir), from));
      },

      updateTask: async (req, res) => {
        const id = idOf(req);
        const expectedVersion = expectedVersionOf(req);
        const actor = actorOf(res, PARTIES);
        // A non-party's update on a real referral gets the 404 of an unknown one, logged as a denied access.
        const loaded = withTask(await referrals.loadFor(id, actor, undefined, 'U'));
        if (loaded.version !== expectedVersion)
          throw new StaleVersionError(
            `The Task changed since version ${expectedVersion}; it is at version ${loaded.version}. Read it and try again.`,
          );
        const change = readTaskChange(req.body, toTask(loaded));
        // A Procedure in output must be one recorded for this referral (basedOn its ServiceRequest).
        if (change.procedures.length) {
          const recorded = await referrals.procedureIdsOf(id);
          const unknown = change.procedures.filter((p) => !recorded.includes(p.id));
          if (unknown.length)
            throw invalid(
              unknown.map((p) => ({ path: p.path, message: 'no Procedure based on this ServiceRequest has this id' })),
              'The Task update is invalid.',
            );
        }
        const side = sideOf(loaded.state, actor.organisationId)!;
        // Every step is checked (roles, body) before the first is taken.
        const calls = stepsFor(change, loaded.state, { ...actor, side }).map(({ step: path, body }) => {
          const step = STEPS.find((s) => s.path === path)!;
          if (!step.roles.includes(actor.role as Role))
            throw new HttpProblem({
              status: 403,
              title: 'Forbidden',
              detail: `Setting '${change.status}' needs one of the roles: ${step.roles.join(', ')}.`,
            });
          return step.take((schema) => {
            const parsed = schema.safeParse(body);
            if (!parsed.success)
              throw invalid(
                parsed.error.issues.map((i) => ({
                  path: i.path[0] === 'reason' ? 'Task.statusReason' : i.path[0] === 'outcome' ? 'Task.output' : 'Task',
                  message: i.message,
                })),
                'The Task update is invalid.',
              );
            return parsed.data;
          });
        });
        // The same steps as POST /referrals/{id}/<step>: the same commands, events and access-log entries.
        let current = loaded;
        for (const taken of calls)
          current = await referrals.act(
            id,
            current.version,
            actor,
            (state, { seal }) => taken.build({ state, actor, seal, referrals, now: deps.now() }),
            taken.writes,
          );
        // Location names the new version (HAPI's client takes the updated id from it).
        sendTask(req, res, 200, current);
      },

      searchTask: async (req, res) => {
        const { query: declared, warnings } = declaredQuery(
          req,
          ROUTES.searchTask.searchParams,
          ROUTES.searchTask.includes,
        );
        const query = parseTaskQuery(declared);
        const actor = actorOf(res, PARTIES);
        const organisationId = organisationOf(actor);
        const { includeFocus, includeOutput, patients, ...rest } = query;
        const subjects = await subjectsOf(patients, actor, 'Task');
        // Read-your-writes: the projector's catchUp waits until earlier commits are readable.
        await catchUp?.();
        const search: TaskSearch = { organisationId, ...rest, subjects };
        const { ids, total } = await searchTasks(deps.pool, search);
        const loaded = await Promise.all(ids.map((id) => referrals.loadFor(id, actor)));
        // Task:output: the Procedures named in output (HealthcareService lives in the social map).
        const outputs = includeOutput
          ? await Promise.all(
              loaded.map(async (l) => {
                const named = (toTask(l).output ?? []).map((o) => o.valueReference?.reference);
                return (await procedures.of(l.state.referralId))
                  .filter((p) => named.includes(`Procedure/${p.procedureId}`))
                  .map(toProcedure);
              }),
            )
          : [];
        sendPage(req, res, fhir, {
          total,
          matches: loaded.map(toTask),
          includes: [...(includeFocus ? loaded.map(toServiceRequest) : []), ...outputs.flat()],
          warnings,
          count: query.count,
          offset: query.offset,
        });
      },

      feedback: async (req, res) => {
        await feedback(req, res, idOf(req));
      },

      searchCommunication: async (req, res) => {
        const { query, warnings } = declaredQuery(req, ROUTES.searchCommunication.searchParams);
        const q = parseCommunicationQuery(query);
        const actor = actorOf(res, PARTIES);
        // By part-of alone each Task is read as a party (a non-party's id is the logged 404 of any read).
        const found =
          q.ids && !q.requesters && !q.owners
            ? { ids: q.ids, total: q.ids.length }
            : await indexed(actor, {
                ids: q.ids,
                statuses: null,
                requesters: q.requesters,
                owners: q.owners,
                none: false,
                authoredOn: [],
              });
        const { ids } = found;
        if (found.total > ids.length)
          warnings.push(`Only the feedback of the first ${ids.length} of ${found.total} referrals was searched.`);
        // referrals.feedback decides on access to the messages and logs it (NEN 7513), per referral.
        const all = (
          await Promise.all(ids.map(async (id) => toCommunications(await referrals.feedback(id, actor))))
        ).flat();
        res.setHeader('Cache-Control', 'no-store');
        sendPage(req, res, fhir, {
          total: all.length,
          matches: all.slice(q.offset, q.offset + q.count),
          warnings,
          count: q.count,
          offset: q.offset,
        });
      },

      searchServiceRequest: async (req, res) => {
        const { query, warnings } = declaredQuery(req, ROUTES.searchServiceRequest.searchParams);
        const q = parseServiceRequestQuery(query, (status) =>
          Object.entries(SERVICE_REQUEST_STATUS).flatMap(([referral, sr]) => (sr === status ? [referral] : [])),
        );
        const actor = actorOf(res, PARTIES);
        const { patients, ...rest } = q;
        const subjects = await subjectsOf(patients, actor, 'ServiceRequest');
        await catchUp?.();
        const { ids, total } = await searchTasks(deps.pool, {
          organisationId: organisationOf(actor),
          ...rest,
          subjects,
        });
        const loaded = await Promise.all(ids.map((id) => referrals.loadFor(id, actor)));
        sendPage(req, res, fhir, {
          total,
          matches: loaded.map(toServiceRequest),
          warnings,
          count: q.count,
          offset: q.offset,
        });
      },

      ...procedureHandlers({
        referrals,
        procedures,
        fhir,
        referralsOfPatient: async (query, actor, resourceType) => {
          const subjects = await subjectsOf(parsePatientQuery(query), actor, resourceType);
          return subjects
            ? (
                await indexed(actor, {
                  ids: null,
                  statuses: null,
                  requesters: null,
                  owners: null,
                  none: false,
                  authoredOn: [],
                  subjects,
                })
              ).ids
            : null;
        },
      }),
    };
    mountFhirRoutes(router, ROUTES, handlers);
  };
