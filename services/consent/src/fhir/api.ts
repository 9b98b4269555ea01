// FHIR R4 Consent at /fhir/Consent: create, read, search by subject, and withdraw by setting status
// 'inactive' (a consent's terms never change; record a new one instead).
import { SubjectId } from '@wor/contracts';
import { handleCommand } from '@wor/event-store';
import { pseudonymise } from '@wor/privacy';
import { callerOf, HttpProblem, parseParams, parseQuery, requestEventMetadata, requireRole } from '@wor/service-kit';
import type { Request, Router } from 'express';
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
import { FhirConsentInput, fromFhir, toFhir, type ConsentForFhir } from './consent-resource';

const Params = z.object({ id: z.uuid() });
const Search = z.object({ subject: SubjectId });
const FHIR_JSON = 'application/fhir+json';

/** FHIR's error shape, for FHIR clients; the detail names fields, never values. */
const outcome = (status: number, issues: { path: string; message: string }[]) =>
  new HttpProblem({
    status,
    title: status === 422 ? 'Unprocessable Content' : 'Bad Request',
    detail: 'The Consent resource is invalid.',
    extra: { errors: issues },
  });

const parseFhir = <T>(schema: z.ZodType<T>, req: Request): T => {
  const result = schema.safeParse(req.body);
  if (!result.success)
    throw outcome(
      422,
      result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return result.data;
};

export const fhirConsentRoutes =
  (cd: ConsentDeps) =>
  (router: Router): void => {
    const { store, keys, deps } = cd;
    const read = async (id: string) =>
      toFhir((await consentView(keys, await loadConsent(store, id))) as ConsentForFhir);

    router.post('/fhir/Consent', requireRole('gp-system', 'referrer', 'admin'), async (req, res) => {
      const { bsn, ...terms } = fromFhir(parseFhir(FhirConsentInput, req));
      // The same rules as the REST API (field paths are REST's, the problem says which).
      const checked = ConsentChoiceBody.safeParse({
        patient: { bsn },
        ...terms,
        recipientOrganisationIds: terms.recipientOrganisationIds,
      });
      if (!checked.success)
        throw outcome(
          422,
          checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      const { patient, ...body } = checked.data;
      const state = await recordConsent(cd, callerOf(res), {
        ...body,
        subjectId: pseudonymise(patient.bsn, deps.pseudonymSecret),
      });
      if (state.status === 'none') throw new Error('unreachable');
      await logConsentAccess(deps, callerOf(res), state.terms, 'C', 'Consent');
      res
        .status(201)
        .location(`/fhir/Consent/${state.terms.consentId}`)
        .type(FHIR_JSON)
        .send(JSON.stringify(await read(state.terms.consentId)));
    });

    router.get(
      '/fhir/Consent/:id',
      requireRole('gp-system', 'referrer', 'privacy-officer', 'admin'),
      async (req, res) => {
        const { id } = parseParams(Params, req);
        await assertConsentPartyLogged(deps, callerOf(res), await loadConsent(store, id), {
          action: 'R',
          resourceType: 'Consent',
        });
        const resource = await read(id);
        await logOwnAccess(deps, callerOf(res), deps.now(), {
          subjectId: resource.patient.identifier.value,
          purpose: 'consent-administration',
          resource: { type: 'Consent', id },
        });
        res.type(FHIR_JSON).send(JSON.stringify(resource));
      },
    );

    router.get('/fhir/Consent', requireRole('privacy-officer', 'admin'), async (req, res) => {
      const { subject } = parseQuery(Search, req);
      const rows = await consentsOfSubject(deps.pool, subject);
      const entries = await Promise.all(rows.map(async (r) => ({ resource: await read(r.consent_id) })));
      await logOwnAccess(deps, callerOf(res), deps.now(), {
        subjectId: subject,
        purpose: 'consent-administration',
        resource: { type: 'Consent', id: 'search' },
      });
      res
        .type(FHIR_JSON)
        .send(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries }));
    });

    router.put(
      '/fhir/Consent/:id',
      requireRole('gp-system', 'referrer', 'privacy-officer', 'admin'),
      async (req, res) => {
        const { id } = parseParams(Params, req);
        const body = parseFhir(
          z.object({ resourceType: z.literal('Consent'), id: z.literal(id), status: z.string() }),
          req,
        );
        await assertConsentPartyLogged(deps, callerOf(res), await loadConsent(store, id), {
          action: 'U',
          resourceType: 'Consent',
        });
        const current = await read(id);
        const logged = { subjectId: current.patient.identifier.value, consentId: id };
        // Unchanged: the answer still carries the unsealed evidence, so it is a read.
        if (body.status === current.status) {
          await logConsentAccess(deps, callerOf(res), logged, 'R', 'Consent');
          return void res.type(FHIR_JSON).send(JSON.stringify(current));
        }
        if (body.status !== 'inactive')
          throw outcome(422, [
            { path: 'status', message: "only 'inactive' (withdrawal) can change; record a new Consent for new terms" },
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
        res.type(FHIR_JSON).send(JSON.stringify(await read(id)));
      },
    );
  };
