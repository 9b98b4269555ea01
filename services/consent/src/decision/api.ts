// The decision endpoint and the decision event stream (Server-Sent Events: the decision for one
// question now, and again whenever it changes — a withdrawal, an objection, an agreement ending).
import { ConsentPurpose, DataCategory, OrganisationId, SubjectId } from '@wor/contracts';
import { mayAskAboutConsent, pseudonymise } from '@wor/privacy';
import {
  callerOf,
  hasRole,
  HttpProblem,
  parseBody,
  parseQuery,
  requireRole,
  type Caller,
  type ServiceDeps,
} from '@wor/service-kit';
import { logOwnAccess } from '../access-log/own-access';
import type { Router } from 'express';
import { z } from 'zod';
import { agreementsBetween, toActiveTerms } from '../agreement/projection';
import { Bsn } from '../consent/api';
import { decideAccess, type Decision } from './decision';

const Question = {
  organisationId: OrganisationId,
  partnerOrganisationId: OrganisationId,
  purpose: ConsentPurpose,
  dataCategory: DataCategory,
};

// The BSN only in a body, never in a URL (URLs end up in proxies' logs).
export const DecisionBody = z
  .object({
    patient: z.object({ bsn: Bsn }).strict().optional(),
    subjectId: SubjectId.optional(),
    ...Question,
    consentId: z.uuid().nullable().optional(),
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((b) => (b.patient === undefined) !== (b.subjectId === undefined), {
    path: ['subjectId'],
    message: 'give either patient.bsn or subjectId',
  });

export const StreamQuery = z.object({
  subjectId: SubjectId,
  ...Question,
  intervalMs: z.coerce.number().int().min(100).max(60_000).default(1000),
});

const deciders = ['gp-system', 'referrer', 'coach', 'coordinator', 'privacy-officer', 'admin'] as const;

/** The same for every patient, existing or not, with or without a consent: the refusal reveals nothing. */
const NOT_ENTITLED =
  'Access decisions are answered only to the organisations of an active data-sharing agreement covering the purpose, and to privacy officers.';

/**
 * Whether the caller may hear about this patient's consents at all (`null`), else why not: privacy
 * officers and admins oversee every sharing; an organisation asks only about sharing between itself and
 * a partner under an active agreement for the purpose. Decided before any consent is looked at.
 */
const whyNotEntitled = async (
  db: Pick<ServiceDeps['pool'], 'query'>,
  caller: Caller,
  q: { organisationId: string; partnerOrganisationId: string; purpose: string },
  at: Date,
): Promise<string | null> => {
  if (hasRole(caller, 'privacy-officer', 'admin')) return null;
  const org = caller.organisationId;
  if (!org || (org !== q.organisationId && org !== q.partnerOrganisationId))
    return 'not a party to the sharing asked about';
  const agreements = (await agreementsBetween(db, q.organisationId, q.partnerOrganisationId)).map(toActiveTerms);
  return mayAskAboutConsent(agreements, { ...q, at, callerOrganisationId: org })
    ? null
    : `no active data-sharing agreement with ${org === q.organisationId ? q.partnerOrganisationId : q.organisationId} for purpose ${q.purpose}`;
};

/** Refuses (403) and logs the refusal as a denied access to the subject's consent (NEN 7513). */
const refuse = async (
  deps: ServiceDeps,
  caller: Caller,
  subjectId: string,
  q: { purpose: string; dataCategory: string },
  type: string,
  reason: string,
): Promise<never> => {
  await logOwnAccess(deps, caller, deps.now(), {
    subjectId,
    action: 'E',
    purpose: q.purpose,
    dataCategories: [q.dataCategory],
    resource: { type, id: subjectId },
    outcome: 'denied',
    reason,
  });
  throw new HttpProblem({ status: 403, title: 'Forbidden', detail: NOT_ENTITLED });
};

export const decisionRoutes =
  ({ deps }: { deps: ServiceDeps }) =>
  (router: Router): void => {
    router.post('/access-decisions', requireRole(...deciders), async (req, res) => {
      const { patient, subjectId, at, ...q } = parseBody(DecisionBody, req);
      const caller = callerOf(res);
      const subject = subjectId ?? pseudonymise(patient!.bsn, deps.pseudonymSecret);
      const refused = await whyNotEntitled(deps.pool, caller, q, deps.now());
      if (refused) return refuse(deps, caller, subject, q, 'access-decision', refused);
      const decision = await decideAccess(deps.pool, { ...q, subjectId: subject, at: at ? new Date(at) : deps.now() });
      // A decision tells whether a person consented: asking is itself an access (NEN 7513).
      await logOwnAccess(deps, caller, deps.now(), {
        subjectId: subject,
        action: 'E',
        purpose: q.purpose,
        dataCategories: [q.dataCategory],
        resource: { type: 'access-decision', id: subject },
      });
      res.json({ subjectId: subject, ...q, at: at ?? deps.now().toISOString(), decision });
    });

    router.get('/access-decisions/stream', requireRole(...deciders), async (req, res) => {
      const { intervalMs, ...q } = parseQuery(StreamQuery, req);
      const caller = callerOf(res);
      const refused = await whyNotEntitled(deps.pool, caller, q, deps.now());
      if (refused) return refuse(deps, caller, q.subjectId, q, 'access-decision-stream', refused);
      await logOwnAccess(deps, caller, deps.now(), {
        subjectId: q.subjectId,
        action: 'E',
        purpose: q.purpose,
        dataCategories: [q.dataCategory],
        resource: { type: 'access-decision-stream', id: q.subjectId },
      });
      res
        .status(200)
        .set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.flushHeaders();
      let last = '';
      let closed = false;
      const end = () => {
        closed = true;
        clearInterval(timer);
      };
      const push = async () => {
        // Entitlement ends with the agreement: from then on the stream would be an oracle.
        if (await whyNotEntitled(deps.pool, caller, q, deps.now())) {
          if (!closed) res.end(`event: end\ndata: ${JSON.stringify({ detail: NOT_ENTITLED })}\n\n`);
          return end();
        }
        const decision: Decision = await decideAccess(deps.pool, { ...q, at: deps.now() });
        const key = JSON.stringify(decision);
        if (key !== last && !closed) {
          last = key;
          res.write(`event: decision\ndata: ${JSON.stringify({ ...q, at: deps.now().toISOString(), decision })}\n\n`);
        }
      };
      const timer = setInterval(() => void push().catch(() => undefined), intervalMs);
      req.on('close', end);
      await push();
    });
  };
