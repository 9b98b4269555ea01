// REST API of the referral lifecycle. GP systems submit and follow; welfare organisations and their
// coaches work the referral. Every change names the version it was based on (If-Match); every
// response carries the current one (ETag).
import {
  CancellationSource,
  CompletionOutcome,
  FailureReason,
  GasScore,
  HoldReason,
  PositiveHealthScores,
  RejectionReason,
} from '@wor/contracts';
import {
  callerOf,
  hasRole,
  HttpProblem,
  idempotencyKeyOf,
  parseBody,
  parseParams,
  requestEventMetadata,
  requireRole,
  type Role,
  type ServiceDeps,
} from '@wor/service-kit';
import type { Request, Response, Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { etagOf, type Actor, type LoadedReferral, type PersonalDetails, type Referrals } from './application';
import type { ReferralCommand } from './commands';
import type { ReferralState } from './referral';
import { NewReferral, submitReferral } from './submission';

const REFERRER: Role[] = ['gp-system', 'referrer'];
const ORGANISATION: Role[] = ['coordinator', 'coach'];

const Params = z.object({ referralId: z.uuid() });
const Message = z.string().trim().min(1).max(4000).optional();
const Hours = z.number().min(0).max(200);

export const Bodies = {
  accept: z.object({ feedbackMessage: Message }).strict(),
  reject: z.object({ reason: RejectionReason, feedbackMessage: Message }).strict(),
  coach: z.object({ coachId: z.string().min(1).max(100) }).strict(),
  contactAttempt: z.object({ reached: z.boolean(), attemptedAt: z.iso.datetime({ offset: true }).optional() }).strict(),
  intake: z
    .object({
      heldOn: z.iso.date(),
      positiveHealth: PositiveHealthScores,
      goals: z.array(z.object({ text: z.string().trim().min(1).max(1000), baseline: GasScore }).strict()).max(10),
      feedbackMessage: Message,
    })
    .strict(),
  activity: z.object({ serviceId: z.uuid() }).strict(),
  hold: z.object({ reason: HoldReason }).strict(),
  empty: z.object({}).strict(),
  complete: z
    .object({
      outcome: CompletionOutcome,
      positiveHealth: PositiveHealthScores.nullable().optional(),
      gasScores: z.array(z.object({ goalId: z.uuid(), score: GasScore }).strict()).max(10),
      coachHours: Hours,
      feedbackMessage: Message,
    })
    .strict(),
  fail: z.object({ reason: FailureReason, coachHours: Hours, feedbackMessage: Message }).strict(),
  cancel: z.object({ feedbackMessage: Message }).strict(),
};

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

/** What anyone party to the referral may see: codes and dates, no personal data. */
export const referralView = ({ state, version }: LoadedReferral) => ({
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
});

const send = (res: Response, loaded: LoadedReferral, status = 200): void => {
  res.status(status).setHeader('ETag', etagOf(loaded.version)).json(referralView(loaded));
};

type Step = Readonly<{
  path: string;
  roles: Role[];
  side: 'referrer' | 'recipient';
  type: ReferralCommand['type'];
  body: z.ZodType;
  /** Personal data this step writes, which needs an access decision and a log entry. */
  writes?: (
    body: never,
  ) =>
    { purpose: 'wor-coaching' | 'wor-feedback'; dataCategory: 'health-summary' | 'outcome'; action: 'C' } | undefined;
  build: (
    body: never,
    ctx: {
      state: ReferralState;
      actor: Actor;
      seal: (text: string | null | undefined) => Promise<import('@wor/privacy').SealedPersonalData | null>;
      referrals: Referrals;
      now: Date;
    },
  ) => Promise<ReferralCommand['data']> | ReferralCommand['data'];
}>;

const feedbackWrite = (b: { feedbackMessage?: string }) =>
  b.feedbackMessage ? ({ purpose: 'wor-feedback', dataCategory: 'outcome', action: 'C' } as const) : undefined;

/** Every lifecycle step: the REST path under /referrals/:id, who may take it, and its command. */
export const STEPS: Step[] = [
  {
    path: 'accept',
    roles: ['coordinator'],
    side: 'recipient',
    type: 'AcceptReferral',
    body: Bodies.accept,
    writes: feedbackWrite,
    build: async (b: z.infer<typeof Bodies.accept>, { actor, seal }) => ({
      organisationId: actor.organisationId ?? '',
      feedbackMessage: await seal(b.feedbackMessage),
    }),
  },
  {
    path: 'reject',
    roles: ['coordinator'],
    side: 'recipient',
    type: 'RejectReferral',
    body: Bodies.reject,
    writes: feedbackWrite,
    build: async (b: z.infer<typeof Bodies.reject>, { actor, seal }) => ({
      organisationId: actor.organisationId ?? '',
      reason: b.reason,
      feedbackMessage: await seal(b.feedbackMessage),
    }),
  },
  {
    path: 'coach',
    roles: ORGANISATION,
    side: 'recipient',
    type: 'AssignCoach',
    body: Bodies.coach,
    build: (b: z.infer<typeof Bodies.coach>, { actor }) => {
      // The contact point (coordinator) assigns anyone; a coach can only take a referral on.
      if (actor.role === 'coach' && b.coachId !== actor.userId)
        throw new HttpProblem({
          status: 403,
          title: 'Forbidden',
          detail: 'A coach can assign only themself; the coordinator assigns others.',
        });
      return { coachId: b.coachId };
    },
  },
  {
    path: 'contact-attempts',
    roles: ORGANISATION,
    side: 'recipient',
    type: 'RecordContactAttempt',
    body: Bodies.contactAttempt,
    build: (b: z.infer<typeof Bodies.contactAttempt>, { now }) => ({
      reached: b.reached,
      attemptedAt: b.attemptedAt ? new Date(b.attemptedAt) : now,
    }),
  },
  {
    path: 'intake',
    roles: ORGANISATION,
    side: 'recipient',
    type: 'RecordIntake',
    body: Bodies.intake,
    writes: () => ({ purpose: 'wor-coaching', dataCategory: 'health-summary', action: 'C' }),
    build: async (b: z.infer<typeof Bodies.intake>, { state, referrals, seal }) => {
      const goals = b.goals.map((g) => ({ goalId: randomUUID(), baseline: g.baseline, text: g.text }));
      const goalTexts = goals.length
        ? await referrals.sealFor(state, Object.fromEntries(goals.map((g) => [g.goalId, g.text])))
        : null;
      return {
        heldOn: b.heldOn,
        positiveHealth: b.positiveHealth,
        goals: goals.map(({ goalId, baseline }) => ({ goalId, baseline })),
        goalTexts,
        feedbackMessage: await seal(b.feedbackMessage),
      };
    },
  },
  {
    path: 'activities',
    roles: ORGANISATION,
    side: 'recipient',
    type: 'LinkActivity',
    body: Bodies.activity,
    build: async (b: z.infer<typeof Bodies.activity>, { referrals }) => ({
      serviceId: b.serviceId,
      service: await referrals.findService(b.serviceId),
    }),
  },
  {
    path: 'hold',
    roles: ORGANISATION,
    side: 'recipient',
    type: 'PutOnHold',
    body: Bodies.hold,
    build: (b: z.infer<typeof Bodies.hold>) => ({ reason: b.reason }),
  },
  { path: 'resume', roles: ORGANISATION, side: 'recipient', type: 'Resume', body: Bodies.empty, build: () => ({}) },
  {
    path: 'complete',
    roles: ORGANISATION,
    side: 'recipient',
    type: 'CompleteReferral',
    body: Bodies.complete,
    writes: feedbackWrite,
    build: async (b: z.infer<typeof Bodies.complete>, { seal }) => ({
      outcome: b.outcome,
      positiveHealth: b.positiveHealth ?? null,
      gasScores: b.gasScores,
      coachHours: b.coachHours,
      feedbackMessage: await seal(b.feedbackMessage),
    }),
  },
  {
    path: 'fail',
    roles: ORGANISATION,
    side: 'recipient',
    type: 'FailReferral',
    body: Bodies.fail,
    writes: feedbackWrite,
    build: async (b: z.infer<typeof Bodies.fail>, { seal, referrals }) => ({
      reason: b.reason,
      coachHours: b.coachHours,
      notReachableAfterAttempts: referrals.config.notReachableAfterAttempts,
      feedbackMessage: await seal(b.feedbackMessage),
    }),
  },
  {
    path: 'cancel',
    roles: [...REFERRER, ...ORGANISATION],
    side: 'referrer',
    type: 'CancelReferral',
    body: Bodies.cancel,
    writes: feedbackWrite,
    build: async (b: z.infer<typeof Bodies.cancel>, { actor, seal }) => ({
      // The referrer cancels their own referral; the organisation cancels on the patient's request.
      cancelledBy: (REFERRER.includes(actor.role as Role)
        ? 'referrer'
        : 'patient-request') satisfies CancellationSource,
      feedbackMessage: await seal(b.feedbackMessage),
    }),
  },
  {
    path: 'entered-in-error',
    roles: REFERRER,
    side: 'referrer',
    type: 'MarkEnteredInError',
    body: Bodies.empty,
    build: () => ({}),
  },
];

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

    router.get('/referrals/:referralId', requireRole(...REFERRER, ...ORGANISATION), async (req, res) => {
      const { referralId } = parseParams(Params, req);
      send(res, await referrals.loadFor(referralId, actorOf(res, [...REFERRER, ...ORGANISATION])));
    });

    // Need-to-know: the referral's coach and the coordinators; another coach declares a takeover (need-to-know/api.ts).
    router.get('/referrals/:referralId/personal-details', requireRole(...ORGANISATION), async (req, res) => {
      const { referralId } = parseParams(Params, req);
      const loaded = await referrals.personalDetails(referralId, actorOf(res, ORGANISATION), {
        coordinator: hasRole(callerOf(res), 'coordinator'),
      });
      sendPersonalDetails(res, referralId, loaded);
    });

    router.get('/referrals/:referralId/feedback', requireRole(...REFERRER, ...ORGANISATION), async (req, res) => {
      const { referralId } = parseParams(Params, req);
      const loaded = await referrals.feedback(referralId, actorOf(res, [...REFERRER, ...ORGANISATION]));
      res.setHeader('Cache-Control', 'no-store').json({ referralId, feedback: loaded.feedback });
    });

    for (const step of STEPS) {
      router.post(`/referrals/:referralId/${step.path}`, requireRole(...step.roles), async (req, res) => {
        const { referralId } = parseParams(Params, req);
        const body = parseBody(step.body, req) as never;
        const expectedVersion = expectedVersionOf(req);
        const actor = actorOf(res, step.roles);
        // The referrer's side owns cancel and entered-in-error; the organisation may cancel too.
        const side =
          step.type === 'CancelReferral' && ORGANISATION.includes(actor.role as Role) ? 'recipient' : step.side;
        const loaded = await referrals.act(
          referralId,
          expectedVersion,
          actor,
          side,
          (state, { seal }) => step.build(body, { state, actor, seal, referrals, now: deps.now() }),
          step.type,
          step.writes?.(body),
        );
        send(res, loaded);
      });
    }
  };
