// FHIR R4 Consent at /fhir/Consent: create, read, search by patient, and withdraw by setting status
// 'inactive' (a consent's terms never change; record a new one instead). The routes are those of the
// route table (routes.ts); GET /fhir/metadata describes them. Errors are OperationOutcome with FHIRPaths.
import { handleCommand, NotFoundError } from '@wor/event-store';
import { pseudonymise } from '@wor/privacy';
import {
  callerOf,
  capabilityStatementOf,
  fhirBaseOf,
  fhirPathFromZod,
  fhirSelfOf,
  HttpProblem,
  mountFhirRoutes,
  requestEventMetadata,
  searchset,
  sendFhir,
  type FhirSettings,
} from '@wor/service-kit';
import type { Consent as FhirConsent } from 'fhir/r4';
import type { Request, RequestHandler, Router } from 'express';
import { z } from 'zod';
import {
  assertConsentPartyLogged,
  ConsentChoiceBody,
  consentDecider,
  consentView,
  loadConsent,
  logConsentAccess,
  recordConsent,
  type ConsentDeps,
} from '../consent/api';
import { consentStreamId } from '../consent/consent';
import { projectConsent } from '../consent/projection';
import { logOwnAccess } from '../access-log/own-access';
import { projectNow } from '../read-your-writes';
import { consentsOfSubject } from '../consent/projection';
import { FhirConsentInput, fromFhir, SYSTEMS, toFhir, type ConsentForFhir } from './consent-resource';
import { consentCapability, CONSENT_FHIR_ROUTES as ROUTES } from './routes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A FHIR id that is no consent id names nothing here: 404. */
const idOf = (req: Request): string => {
  const id = String(req.params.id ?? '');
  if (!UUID.test(id)) throw new NotFoundError('No such consent');
  return id;
};

/** Where each REST field of the consent rules comes from in a FHIR Consent. */
const FHIR_PATH_OF_FIELD: Record<string, string> = {
  patient: 'Consent.patient.identifier.value',
  provision: 'Consent.provision.type',
  recipientOrganisationIds: 'Consent.provision.actor',
  purposes: 'Consent.provision.purpose',
  dataCategories: 'Consent.provision.class',
  validFrom: 'Consent.provision.period.start',
  validUntil: 'Consent.provision.period.end',
  evidence: 'Consent.sourceReference',
};

type Issue = { path: string; message: string };
const invalid = (issues: Issue[]) =>
  new HttpProblem({
    status: 422,
    title: 'Unprocessable Content',
    detail: 'The Consent resource is invalid.',
    extra: { errors: issues },
  });

const parseFhir = <T>(schema: z.ZodType<T>, req: Request): T => {
  const result = schema.safeParse(req.body);
  if (!result.success)
    throw invalid(result.error.issues.map((i) => ({ path: fhirPathFromZod('Consent', i.path), message: i.message })));
  return result.data;
};

const list = (v: unknown): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter(Boolean);
/** `value` or `system|value` of a reference search by identifier, for one system. */
const identifierValue = (v: string, system: string): string | undefined => {
  const [s, value] = v.includes('|') ? v.split('|') : [system, v];
  return s === system ? value : undefined;
};

/** GET /fhir/metadata: the CapabilityStatement of the route table; public (it holds no data). */
export const fhirConsentMetadataRoute =
  (fhir: FhirSettings) =>
  (router: Router): void => {
    router.get('/fhir/metadata', (req, res) =>
      sendFhir(res, 200, capabilityStatementOf(ROUTES, consentCapability(fhir.canonicalBase), fhirBaseOf(req, fhir))),
    );
  };

export const fhirConsentRoutes =
  (cd: ConsentDeps, fhir: FhirSettings) =>
  (router: Router): void => {
    const { store, keys, deps } = cd;
    const read = async (id: string): Promise<FhirConsent> =>
      toFhir((await consentView(keys, await loadConsent(store, id))) as ConsentForFhir);
    const subjectOf = (c: FhirConsent): string => c.patient!.identifier!.value!;

    const handlers: Record<keyof typeof ROUTES, RequestHandler> = {
      create: async (req, res) => {
        const { bsn, ...terms } = fromFhir(parseFhir(FhirConsentInput, req));
        // The same rules as the REST API (field paths are REST's, the problem says which).
        const checked = ConsentChoiceBody.safeParse({
          patient: { bsn },
          ...terms,
          recipientOrganisationIds: terms.recipientOrganisationIds,
        });
        if (!checked.success)
          throw invalid(
            checked.error.issues.map((i) => ({
              path: FHIR_PATH_OF_FIELD[String(i.path[0])] ?? 'Consent',
              message: i.message,
            })),
          );
        const { patient, ...body } = checked.data;
        const state = await recordConsent(cd, callerOf(res), {
          ...body,
          subjectId: pseudonymise(patient.bsn, deps.pseudonymSecret),
        });
        if (state.status === 'none') throw new Error('unreachable');
        await logConsentAccess(deps, callerOf(res), state.terms, 'C', 'Consent');
        res.location(`${fhirBaseOf(req, fhir)}/Consent/${state.terms.consentId}`);
        sendFhir(res, 201, await read(state.terms.consentId));
      },

      read: async (req, res) => {
        const id = idOf(req);
        await assertConsentPartyLogged(deps, callerOf(res), await loadConsent(store, id), {
          action: 'R',
          resourceType: 'Consent',
        });
        const resource = await read(id);
        await logOwnAccess(deps, callerOf(res), deps.now(), {
          subjectId: subjectOf(resource),
          purpose: 'consent-administration',
          resource: { type: 'Consent', id },
        });
        sendFhir(res, 200, resource);
      },

      search: async (req, res) => {
        const query = req.query as Record<string, unknown>;
        const declared = new Set<string>(ROUTES.search.searchParams.map((p) => p.name));
        const unknown = Object.keys(query).filter((k) => !declared.has(k));
        if (unknown.length && /\bhandling\s*=\s*strict\b/i.test(req.get('prefer') ?? ''))
          throw new HttpProblem({
            status: 400,
            detail: 'The search parameters are invalid.',
            extra: { errors: unknown.map((k) => ({ path: k, message: 'search parameter not supported' })) },
          });
        const patients = list(query.patient).map((v) => identifierValue(v, SYSTEMS.subject));
        const subject = patients[0];
        if (patients.length !== 1 || !subject)
          throw new HttpProblem({
            status: 400,
            detail: 'The search parameters are invalid.',
            extra: {
              errors: [{ path: 'patient', message: `one subject id, plain or ${SYSTEMS.subject}|<id>` }],
            },
          });
        const statuses = list(query.status);
        const actors = list(query.actor).map((v) => identifierValue(v, SYSTEMS.organisation));
        const rows = await consentsOfSubject(deps.pool, subject);
        const resources = await Promise.all(rows.map((r) => read(r.consent_id)));
        const matches = resources.filter(
          (c) =>
            (!statuses.length || statuses.includes(c.status)) &&
            (!actors.length || (c.provision?.actor ?? []).some((a) => actors.includes(a.reference.identifier?.value))),
        );
        await logOwnAccess(deps, callerOf(res), deps.now(), {
          subjectId: subject,
          purpose: 'consent-administration',
          resource: { type: 'Consent', id: 'search' },
        });
        const warnings = unknown.map((k) => `Search parameter '${k}' is not supported and was ignored.`);
        sendFhir(
          res,
          200,
          searchset({
            base: fhirBaseOf(req, fhir),
            self: fhirSelfOf(req, fhir),
            total: matches.length,
            matches,
            warnings,
          }),
        );
      },

      update: async (req, res) => {
        const id = idOf(req);
        const body = parseFhir(
          z.object({ resourceType: z.literal('Consent'), id: z.literal(id), status: z.string() }),
          req,
        );
        await assertConsentPartyLogged(deps, callerOf(res), await loadConsent(store, id), {
          action: 'U',
          resourceType: 'Consent',
        });
        const current = await read(id);
        const logged = { subjectId: subjectOf(current), consentId: id };
        // Unchanged: the answer still carries the unsealed evidence, so it is a read.
        if (body.status === current.status) {
          await logConsentAccess(deps, callerOf(res), logged, 'R', 'Consent');
          return void sendFhir(res, 200, current);
        }
        if (body.status !== 'inactive')
          throw invalid([
            {
              path: 'Consent.status',
              message: "only 'inactive' (withdrawal) can change; record a new Consent for new terms",
            },
          ]);
        const caller = callerOf(res);
        const result = await handleCommand(
          store,
          consentStreamId(id),
          consentDecider,
          {
            type: 'WithdrawConsent',
            data: { consentId: id, recordedBy: caller.subject },
            metadata: { now: deps.now() },
          },
          { metadata: requestEventMetadata(caller) },
        );
        await projectNow(deps.pool, projectConsent, result);
        await logConsentAccess(deps, caller, logged, 'U', 'Consent');
        sendFhir(res, 200, await read(id));
      },
    };
    mountFhirRoutes(router, ROUTES, handlers);
  };
