// REST API for GP systems submitting referrals. Personal data is sealed with the patient's own key
// before it is stored; only pseudonymous, PII-free facts leave the service.
import { randomUUID } from 'node:crypto';
import { MunicipalityCode, OrganisationId, ReferralReason, ReferrerRole, Sex } from '@wor/contracts';
import { ForbiddenError, handleCommand, NotFoundError, type EventStore } from '@wor/event-store';
import { ageBand, pseudonymise, type SubjectKeyStore } from '@wor/privacy';
import { callerOf, HttpProblem, parseBody, parseParams, requestEventMetadata, requireRole, type ServiceDeps } from '@wor/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { decideAccess } from '../consent-view/access-decision';
import { findConsent } from '../consent-view/consent-view';
import { decide, evolve, initialState, referralStreamId, type Referral } from './referral';

const Patient = z
  .object({
    bsn: z.string().regex(/^\d{9}$/, 'a BSN of 9 digits'),
    name: z.object({ given: z.string().min(1).max(100), family: z.string().min(1).max(100) }).strict(),
    birthDate: z.iso.date(),
    sex: Sex,
    phone: z.string().regex(/^\+?[0-9 ()-]{6,20}$/, 'a phone number').optional(),
    email: z.email().optional(),
  })
  .strict();

const SubmitReferralBody = z
  .object({
    consentId: z.uuid(),
    patient: Patient,
    municipality: MunicipalityCode,
    practiceId: OrganisationId,
    recipientOrganisationId: OrganisationId,
    referrerRole: ReferrerRole,
    reasons: z.array(ReferralReason).min(1).max(10),
  })
  .strict();

const ReferralParams = z.object({ referralId: z.uuid() });

const decider = { decide, evolve, initialState };

const summary = (state: Referral) => {
  if (state.status === 'none') throw new NotFoundError('No such referral');
  return state;
};

export const referralRoutes =
  ({ store, keys, deps }: { store: EventStore; keys: SubjectKeyStore; deps: ServiceDeps }) =>
  (router: Router): void => {
    router.post('/referrals', requireRole('gp-system', 'referrer'), async (req, res) => {
      const body = parseBody(SubmitReferralBody, req);
      const caller = callerOf(res);
      if (caller.organisationId && caller.organisationId !== body.practiceId)
        throw new HttpProblem({ status: 403, title: 'Forbidden', detail: 'A practice can only refer on its own behalf.' });

      const now = deps.now();
      const referralId = randomUUID();
      const { bsn, ...contact } = body.patient;
      const subjectId = pseudonymise(bsn, deps.pseudonymSecret);
      const consent = decideAccess(await findConsent(deps.pool, body.consentId), {
        subjectId,
        recipientOrganisationId: body.recipientOrganisationId,
        purpose: 'wor-referral',
        at: now,
      });
      // Refuse before anything is sealed or stored; the decider enforces the same rule as an invariant.
      if (!consent.permitted) throw new ForbiddenError(`No active consent for this referral: ${consent.reason}`);
      // The BSN identifies the subject only; the coach needs contact details, not the BSN.
      const patient = await keys.encryptFor(subjectId, contact);

      const { newState } = await handleCommand(
        store,
        referralStreamId(referralId),
        decider,
        {
          type: 'SubmitReferral',
          data: {
            referralId,
            consentId: body.consentId,
            subjectId,
            patient,
            municipality: body.municipality,
            practiceId: body.practiceId,
            recipientOrganisationId: body.recipientOrganisationId,
            referrerRole: body.referrerRole,
            reasons: body.reasons,
            ageBand: ageBand(body.patient.birthDate, now),
            sex: body.patient.sex,
            requestedBy: caller.subject,
            consent,
          },
          metadata: { now },
        },
        { expectedVersion: 'no_stream', metadata: requestEventMetadata(caller) },
      );
      res.status(201).location(`/referrals/${referralId}`).json(summary(newState));
    });

    router.get('/referrals/:referralId', requireRole('gp-system', 'referrer', 'coach', 'coordinator', 'admin'), async (req, res) => {
      const { referralId } = parseParams(ReferralParams, req);
      const { events } = await store.readStream(referralStreamId(referralId));
      res.json(summary(events.reduce((s, e) => evolve(s, e as never), initialState())));
    });
  };
