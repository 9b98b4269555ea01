// REST API of the referral lifecycle. GP systems submit and follow; welfare organisations and their
// coaches work the referral. Every change names the version it was based on (If-Match); every
// response carries the current one (ETag).
import {
  callerOf,
  hasRole,
  HttpProblem,
  idempotencyKeyOf,
  parseBody,
  parseParams,
  requestEventMetadata,
  requireRole,
  type Caller,
  type Role,
  type ServiceDeps,
} from '@wor/service-kit';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { etagOf, sideOf, type Actor, type LoadedReferral, type PersonalDetails, type Referrals } from './application';
import { allowedSteps, ORGANISATION, REFERRER, STEPS } from './steps';
import { NewReferral, submitReferral } from './submission';

const PARTIES: readonly Role[] = [...REFERRER, ...ORGANISATION];
const Params = z.object({ referralId: z.uuid() });

/** Personal details never linger in a cache; the ETag is the referral's version. */
export const sendPersonalDetails = (
  res: Response,
  referralId: string,
  loaded: LoadedReferral & { details: PersonalDetails },
): void => {
  res
    .setHeader('ETag', etagOf(loaded.version))
    .setHeader('Cache-Control', 'no-store')
    .json({ referralId, ...loaded.details });
};

/** The caller as the referral service records them, acting in one of the endpoint's roles. */
export const actorOf = (res: Response, roles: readonly Role[]): Actor => {
  const caller = callerOf(res);
  return {
    userId: caller.subject,
    role: caller.roles.find((r) => roles.includes(r)) ?? caller.roles[0] ?? 'unknown',
    organisationId: caller.organisationId ?? null,
    metadata: requestEventMetadata(caller),
  };
};

/** The version named by If-Match (`W/"3"` or `"3"`); required on every change. */
export const expectedVersionOf = (req: Request): number => {
  const header = req.header('if-match');
  if (!header)
    throw new HttpProblem({
      status: 428,
      title: 'Precondition Required',
      detail: 'Send If-Match with the ETag of the referral you read.',
    });
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match)
    throw new HttpProblem({
      status: 412,
      title: 'Precondition Failed',
      detail: 'If-Match does not name a version of this referral.',
    });
  return Number(match[1]);
};

/**
 * What anyone party to the referral may see: codes and dates, no personal data; and the steps the caller may take
 * now (paths under /referrals/:id), so clients need no transition table of their own.
 */
export const referralView = ({ state, version }: LoadedReferral, caller: Caller) => ({
  referralId: state.referralId,
  version,
  status: state.status,
  consentId: state.consentId,
  municipality: state.municipality,
  practiceId: state.practiceId,
  recipientOrganisationId: state.recipientOrganisationId,
  referrerRole: state.referrerRole,
  reasons: state.reasons,
  ageBand: state.ageBand,
  sex: state.sex,
  requestedAt: state.requestedAt,
  acceptedAt: state.acceptedAt,
  coachId: state.coachId,
  contactAttempts: state.contactAttempts,
  unsuccessfulContactAttempts: state.unsuccessfulAttempts,
  firstContactAt: state.firstContactAt,
  intake: state.intake,
  activities: state.activities,
  closedAt: state.closedAt,
  contactRequestedViaGpAt: state.contactRequestedViaGpAt,
  allowedSteps: allowedSteps(state, caller.roles, sideOf(state, caller.organisationId ?? null)),
});

const send = (res: Response, loaded: LoadedReferral, status = 200): void => {
  res
    .status(status)
    .setHeader('ETag', etagOf(loaded.version))
    .json(referralView(loaded, callerOf(res)));
};

export const referralRoutes =
  ({ referrals, deps }: { referrals: Referrals; deps: ServiceDeps }) =>
  (router: Router): void => {
    router.post('/referrals', requireRole(...REFERRER), async (req, res) => {
      const input = parseBody(NewReferral, req);
      const result = await submitReferral(referrals, input, actorOf(res, REFERRER), {
        pseudonymSecret: deps.pseudonymSecret,
        now: deps.now(),
        idempotencyKey: idempotencyKeyOf(res),
      });
      res.location(`/referrals/${result.state.referralId}`);
      send(res, result, result.created ? 201 : 200);
    });

    router.get('/referrals/:referralId', requireRole(...PARTIES), async (req, res) => {
      const { referralId } = parseParams(Params, req);
      send(res, await referrals.loadFor(referralId, actorOf(res, PARTIES)));
    });

    // Need-to-know: the referral's coach and the coordinators; another coach declares a takeover (need-to-know/api.ts).
    router.get('/referrals/:referralId/personal-details', requireRole(...ORGANISATION), async (req, res) => {
      const { referralId } = parseParams(Params, req);
      const loaded = await referrals.personalDetails(referralId, actorOf(res, ORGANISATION), {
        coordinator: hasRole(callerOf(res), 'coordinator'),
      });
      sendPersonalDetails(res, referralId, loaded);
    });

    router.get('/referrals/:referralId/feedback', requireRole(...PARTIES), async (req, res) => {
      const { referralId } = parseParams(Params, req);
      const loaded = await referrals.feedback(referralId, actorOf(res, PARTIES));
      res.setHeader('Cache-Control', 'no-store').json({ referralId, feedback: loaded.feedback });
    });

    for (const step of STEPS) {
      router.post(`/referrals/:referralId/${step.path}`, requireRole(...step.roles), async (req, res) => {
        const { referralId } = parseParams(Params, req);
        const taken = step.take((schema) => parseBody(schema, req));
        const expectedVersion = expectedVersionOf(req);
        const actor = actorOf(res, step.roles);
        const loaded = await referrals.act(
          referralId,
          expectedVersion,
          actor,
          (state, { seal }) => taken.build({ state, actor, seal, referrals, now: deps.now() }),
          taken.writes,
        );
        send(res, loaded);
      });
    }
  };
