// REST API for recording and withdrawing consents and objections. The patient's BSN arrives over HTTPS,
// is turned into the pseudonymous subject id at once, and is never stored or logged. The evidence's
// document reference may identify the patient, so it is sealed with the subject's key.
import { randomUUID } from 'node:crypto';
import { Bsn, ConsentPurpose, DataCategory, OrganisationId } from '@wor/contracts';
import { handleCommand, NotFoundError, type EventStore } from '@wor/event-store';
import { isErased, pseudonymise, type SubjectKeyStore } from '@wor/privacy';
import {
  callerOf,
  hasRole,
  parseBody,
  parseParams,
  requestEventMetadata,
  requireRole,
  type Caller,
  type ServiceDeps,
} from '@wor/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { logOwnAccess, NOT_A_PARTY } from '../access-log/own-access';
import { projectNow } from '../read-your-writes';
import { projectConsent } from './projection';
import {
  consentStreamId,
  decide,
  evolve,
  initialState,
  type Consent,
  type ConsentEvidence,
  type ConsentTerms,
} from './consent';

/** One definition for the platform, with the elfproef (re-exported for this service's other APIs). */
export { Bsn };

export const ConsentChoiceBody = z
  .object({
    patient: z.object({ bsn: Bsn }).strict(),
    provision: z.enum(['permit', 'deny']).default('permit'),
    /** One recipient (the first version of this API) ... */
    recipientOrganisationId: OrganisationId.optional(),
    /** ... or several; null: any organisation. */
    recipientOrganisationIds: z.array(OrganisationId).min(1).max(50).nullable().optional(),
    /** null: any purpose / data category. */
    purposes: z.array(ConsentPurpose).min(1).nullable(),
    dataCategories: z.array(DataCategory).min(1).nullable(),
    validFrom: z.iso.datetime({ offset: true }).optional(),
    validUntil: z.iso.datetime({ offset: true }).nullable().optional(),
    evidence: z
      .object({
        method: z.enum(['verbal', 'signed', 'digital']),
        documentReference: z.string().min(1).max(200).optional(),
      })
      .strict(),
  })
  .strict()
  .refine((b) => (b.recipientOrganisationId === undefined) !== (b.recipientOrganisationIds === undefined), {
    path: ['recipientOrganisationIds'],
    message: 'give either recipientOrganisationId or recipientOrganisationIds (null for any organisation)',
  })
  .refine((b) => !b.validUntil || !b.validFrom || b.validUntil > b.validFrom, {
    path: ['validUntil'],
    message: 'must be after validFrom',
  });
export type ConsentChoiceBody = z.infer<typeof ConsentChoiceBody>;

const ConsentParams = z.object({ consentId: z.uuid() });

export const consentDecider = { decide, evolve, initialState };

export type ConsentDeps = Readonly<{ store: EventStore; keys: SubjectKeyStore; deps: ServiceDeps }>;

/** Records a choice; shared by the REST and the FHIR API. */
export const recordConsent = async (
  { store, keys, deps }: ConsentDeps,
  caller: Caller,
  body: Omit<ConsentChoiceBody, 'patient'> & { subjectId: string },
): Promise<Consent> => {
  const consentId = randomUUID();
  const now = deps.now();
  const { subjectId } = body;
  const evidence: ConsentEvidence = {
    recordedBy: caller.subject,
    ...(caller.organisationId ? { organisationId: caller.organisationId } : {}),
    method: body.evidence.method,
    documentReference: body.evidence.documentReference
      ? await keys.encryptFor(subjectId, { documentReference: body.evidence.documentReference })
      : undefined,
  };
  const terms: ConsentTerms = {
    consentId,
    subjectId,
    provision: body.provision,
    recipientOrganisationIds: body.recipientOrganisationId
      ? [body.recipientOrganisationId]
      : (body.recipientOrganisationIds ?? null),
    purposes: body.purposes,
    dataCategories: body.dataCategories,
    validFrom: body.validFrom ?? now.toISOString(),
    validUntil: body.validUntil ?? null,
  };
  const result = await handleCommand(
    store,
    consentStreamId(consentId),
    consentDecider,
    { type: 'RecordConsent', data: { ...terms, evidence }, metadata: { now } },
    { expectedVersion: 'no_stream', metadata: requestEventMetadata(caller) },
  );
  await projectNow(deps.pool, projectConsent, result);
  return result.newState;
};

export const loadConsent = async (store: EventStore, consentId: string): Promise<Consent> => {
  const { events } = await store.readStream(consentStreamId(consentId));
  return events.reduce((s, e) => evolve(s, e as never), initialState());
};

/**
 * Object level: a consent is the recording practice's (or a recipient's); privacy officers and admins
 * see any. Another organisation gets 404, as if it did not exist. Consents recorded before the
 * practice was kept are for officers only.
 */
export const assertConsentParty = (caller: Caller, state: Consent): void => {
  if (state.status === 'none') throw new NotFoundError('No such consent');
  if (hasRole(caller, 'privacy-officer', 'admin')) return;
  const org = caller.organisationId;
  if (org && (state.evidence.organisationId === org || (state.terms.recipientOrganisationIds ?? []).includes(org)))
    return;
  throw new NotFoundError('No such consent');
};

/**
 * assertConsentParty for a request: a non-party's look at a real consent gets the same 404 as an
 * unknown id, and leaves a denied access in the log (NEN 7513), which the caller cannot tell.
 */
export const assertConsentPartyLogged = async (
  deps: ServiceDeps,
  caller: Caller,
  state: Consent,
  access: { action: 'R' | 'U'; resourceType?: 'consent' | 'Consent' },
): Promise<void> => {
  try {
    assertConsentParty(caller, state);
  } catch (error) {
    if (state.status !== 'none')
      await logOwnAccess(deps, caller, deps.now(), {
        subjectId: state.terms.subjectId,
        action: access.action,
        purpose: 'consent-administration',
        resource: { type: access.resourceType ?? 'consent', id: state.terms.consentId },
        outcome: 'denied',
        reason: NOT_A_PARTY,
      });
    throw error;
  }
};

/** The consent as the API shows it, with the document reference unsealed (null once the subject is erased). */
export const consentView = async (keys: SubjectKeyStore, state: Consent) => {
  if (state.status === 'none') throw new NotFoundError('No such consent');
  const sealed = state.evidence.documentReference;
  const opened = sealed ? await keys.decrypt<{ documentReference: string }>(sealed) : undefined;
  return {
    ...state.terms,
    // The first API version's field, for single-recipient consents.
    ...(state.terms.recipientOrganisationIds?.length === 1
      ? { recipientOrganisationId: state.terms.recipientOrganisationIds[0] }
      : {}),
    status: state.status,
    recordedAt: state.recordedAt,
    evidence: {
      recordedBy: state.evidence.recordedBy,
      method: state.evidence.method,
      documentReference: opened && !isErased(opened) ? opened.documentReference : null,
    },
    ...(state.status === 'withdrawn' ? { withdrawnAt: state.withdrawnAt, withdrawnBy: state.withdrawnBy } : {}),
  };
};

/**
 * Every answer that carries a consent carries its unsealed evidence, which may identify the patient:
 * creating, reading, withdrawing and re-sending one is an access to personal data (NEN 7513).
 */
export const logConsentAccess = (
  deps: ServiceDeps,
  caller: Caller,
  consent: { subjectId: string; consentId: string },
  action: 'C' | 'R' | 'U',
  resourceType: 'consent' | 'Consent' = 'consent',
): Promise<void> =>
  logOwnAccess(deps, caller, deps.now(), {
    subjectId: consent.subjectId,
    action,
    purpose: 'consent-administration',
    resource: { type: resourceType, id: consent.consentId },
  });

export const consentRoutes =
  (cd: ConsentDeps) =>
  (router: Router): void => {
    const { store, keys, deps } = cd;
    router.post('/consents', requireRole('gp-system', 'referrer', 'admin'), async (req, res) => {
      const { patient, ...body } = parseBody(ConsentChoiceBody, req);
      const state = await recordConsent(cd, callerOf(res), {
        ...body,
        subjectId: pseudonymise(patient.bsn, deps.pseudonymSecret),
      });
      const view = await consentView(keys, state);
      await logConsentAccess(deps, callerOf(res), view, 'C');
      res.status(201).location(`/consents/${view.consentId}`).json(view);
    });

    router.get(
      '/consents/:consentId',
      requireRole('gp-system', 'referrer', 'privacy-officer', 'admin'),
      async (req, res) => {
        const { consentId } = parseParams(ConsentParams, req);
        const state = await loadConsent(store, consentId);
        await assertConsentPartyLogged(deps, callerOf(res), state, { action: 'R' });
        const view = await consentView(keys, state);
        await logConsentAccess(deps, callerOf(res), view, 'R');
        res.json(view);
      },
    );

    router.post(
      '/consents/:consentId/withdraw',
      requireRole('gp-system', 'referrer', 'privacy-officer', 'admin'),
      async (req, res) => {
        const { consentId } = parseParams(ConsentParams, req);
        const caller = callerOf(res);
        await assertConsentPartyLogged(deps, caller, await loadConsent(store, consentId), { action: 'U' });
        const result = await handleCommand(
          store,
          consentStreamId(consentId),
          consentDecider,
          { type: 'WithdrawConsent', data: { consentId, recordedBy: caller.subject }, metadata: { now: deps.now() } },
          { metadata: requestEventMetadata(caller) },
        );
        await projectNow(deps.pool, projectConsent, result);
        const view = await consentView(keys, result.newState);
        await logConsentAccess(deps, caller, view, 'U');
        res.json(view);
      },
    );
  };
