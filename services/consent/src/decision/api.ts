// The decision endpoint and the decision event stream (Server-Sent Events: the decision for one
// question now, and again whenever it changes — a withdrawal, an objection, an agreement ending).
import { ConsentPurpose, DataCategory, OrganisationId, SubjectId } from '@wor/contracts';
import { pseudonymise } from '@wor/privacy';
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
import { Bsn } from '../consent/api';
import { decideAccess, type Decision } from './decision';

const Question = {
  organisationId: OrganisationId,
  partnerOrganisationId: OrganisationId,
  purpose: ConsentPurpose,
  dataCategory: DataCategory,
};

// The BSN only in a body, never in a URL (URLs end up in proxies' logs).
const DecisionBody = z
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

const StreamQuery = z.object({
  subjectId: SubjectId,
  ...Question,
  intervalMs: z.coerce.number().int().min(100).max(60_000).default(1000),
});

const deciders = ['gp-system', 'referrer', 'coach', 'coordinator', 'privacy-officer', 'admin'] as const;

/** An organisation asks only about sharing it takes part in; privacy officers and admins about any. */
const mayAsk = (caller: Caller, q: { organisationId: string; partnerOrganisationId: string }) => {
  if (hasRole(caller, 'privacy-officer', 'admin')) return;
  if (
    caller.organisationId &&
    (caller.organisationId === q.organisationId || caller.organisationId === q.partnerOrganisationId)
  )
    return;
  throw new HttpProblem({
    status: 403,
    title: 'Forbidden',
    detail: 'An organisation can only ask about sharing it takes part in.',
  });
};

export const decisionRoutes =
  ({ deps }: { deps: ServiceDeps }) =>
  (router: Router): void => {
    router.post('/access-decisions', requireRole(...deciders), async (req, res) => {
      const { patient, subjectId, at, ...q } = parseBody(DecisionBody, req);
      const caller = callerOf(res);
      mayAsk(caller, q);
      const subject = subjectId ?? pseudonymise(patient!.bsn, deps.pseudonymSecret);
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
      mayAsk(caller, q);
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
      const push = async () => {
        const decision: Decision = await decideAccess(deps.pool, { ...q, at: deps.now() });
        const key = JSON.stringify(decision);
        if (key !== last && !closed) {
          last = key;
          res.write(`event: decision\ndata: ${JSON.stringify({ ...q, at: deps.now().toISOString(), decision })}\n\n`);
        }
      };
      const timer = setInterval(() => void push().catch(() => undefined), intervalMs);
      req.on('close', () => {
        closed = true;
        clearInterval(timer);
      });
      await push();
    });
  };
