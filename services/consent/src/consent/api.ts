// REST API for recording and withdrawing consent. The patient's BSN arrives over HTTPS, is turned into
// the pseudonymous subject id at once, and is never stored or logged.
import { randomUUID } from 'node:crypto';
import { ConsentPurpose, DataCategory, OrganisationId } from '@wor/contracts';
import { handleCommand, NotFoundError, type EventStore } from '@wor/event-store';
import { pseudonymise } from '@wor/privacy';
import { callerOf, parseBody, parseParams, requestEventMetadata, requireRole, type ServiceDeps } from '@wor/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { consentStreamId, decide, evolve, initialState, type Consent } from './consent';

const Bsn = z.string().regex(/^\d{9}$/, 'a BSN of 9 digits');

const GiveConsentBody = z
  .object({
    patient: z.object({ bsn: Bsn }).strict(),
    recipientOrganisationId: OrganisationId,
    purposes: z.array(ConsentPurpose).min(1),
    dataCategories: z.array(DataCategory).min(1),
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
  .refine((b) => !b.validUntil || !b.validFrom || b.validUntil > b.validFrom, {
    path: ['validUntil'],
    message: 'must be after validFrom',
  });

const ConsentParams = z.object({ consentId: z.uuid() });

const decider = { decide, evolve, initialState };

const view = (state: Consent) => {
  if (state.status === 'none') throw new NotFoundError('No such consent');
  return {
    ...state.terms,
    status: state.status,
    ...(state.status === 'withdrawn' ? { withdrawnAt: state.withdrawnAt } : {}),
  };
};

export const consentRoutes =
  ({ store, deps }: { store: EventStore; deps: ServiceDeps }) =>
  (router: Router): void => {
    router.post('/consents', requireRole('gp-system', 'referrer', 'admin'), async (req, res) => {
      const body = parseBody(GiveConsentBody, req);
      const caller = callerOf(res);
      const consentId = randomUUID();
      const now = deps.now();
      const { newState } = await handleCommand(
        store,
        consentStreamId(consentId),
        decider,
        {
          type: 'GiveConsent',
          data: {
            consentId,
            subjectId: pseudonymise(body.patient.bsn, deps.pseudonymSecret),
            recipientOrganisationId: body.recipientOrganisationId,
            purposes: body.purposes,
            dataCategories: body.dataCategories,
            validFrom: body.validFrom ?? now.toISOString(),
            validUntil: body.validUntil ?? null,
            evidence: { recordedBy: caller.subject, method: body.evidence.method, documentReference: body.evidence.documentReference },
          },
          metadata: { now },
        },
        { expectedVersion: 'no_stream', metadata: requestEventMetadata(caller) },
      );
      res.status(201).location(`/consents/${consentId}`).json(view(newState));
    });

    router.get('/consents/:consentId', requireRole('gp-system', 'referrer', 'privacy-officer', 'admin'), async (req, res) => {
      const { consentId } = parseParams(ConsentParams, req);
      const { events } = await store.readStream(consentStreamId(consentId));
      res.json(view(events.reduce((s, e) => evolve(s, e as never), initialState())));
    });

    router.post('/consents/:consentId/withdraw', requireRole('gp-system', 'referrer', 'privacy-officer', 'admin'), async (req, res) => {
      const { consentId } = parseParams(ConsentParams, req);
      const caller = callerOf(res);
      const { newState } = await handleCommand(
        store,
        consentStreamId(consentId),
        decider,
        { type: 'WithdrawConsent', data: { consentId, recordedBy: caller.subject }, metadata: { now: deps.now() } },
        { metadata: requestEventMetadata(caller) },
      );
      res.json(view(newState));
    });
  };
