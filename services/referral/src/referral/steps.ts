// The lifecycle steps on an existing referral, each defined once: its REST path, body, roles, the command it
// builds and the FHIR Task status it leads to. Routes, policy rows, OpenAPI operations, `allowedSteps` and the
// FHIR Task updates are all derived from this table; the decider (referral.ts) keeps the rules.
import {
  CancellationSource,
  CompletionOutcome,
  FailureReason,
  GasScore,
  HoldReason,
  PositiveHealthScores,
  RejectionReason,
} from '@wor/contracts';
import type { SealedPersonalData } from '@wor/privacy';
import { HttpProblem, type Role } from '@wor/service-kit';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Access, Actor, Referrals } from './application';
import type { ReferralCommand } from './commands';
import type { ReferralStatus } from './events';
import { isAllowed, type ReferralState } from './referral';

export const REFERRER: readonly Role[] = ['gp-system', 'referrer'];
export const ORGANISATION: readonly Role[] = ['coordinator', 'coach'];
export type Side = 'referrer' | 'recipient';

/** The side of the referral a role acts on: the referrer's (practice) or the recipient's (welfare organisation). */
export const sideOfRole = (role: string): Side => (REFERRER.includes(role as Role) ? 'referrer' : 'recipient');

/** A command as a step builds it; the application stamps it with the time and the actor. */
export type StepCommand = WithoutMetadata<Exclude<ReferralCommand, { type: 'SubmitReferral' | 'CreateTask' }>>;
export type StepCommandType = StepCommand['type'];
/** A command on an existing referral (a step, or the creation of its Task), before the application stamps it. */
export type ActCommand = WithoutMetadata<Exclude<ReferralCommand, { type: 'SubmitReferral' }>>;
/** Distributes over the union, so each command keeps its own data type. */
type WithoutMetadata<U> = U extends ReferralCommand ? Omit<U, 'metadata'> : never;

export type StepContext = Readonly<{
  state: ReferralState;
  actor: Actor;
  seal: (text: string | null | undefined) => Promise<SealedPersonalData | null>;
  referrals: Referrals;
  now: Date;
}>;

type Awaitable<T> = T | Promise<T>;

type StepDefinition<K extends StepCommandType, B> = Readonly<{
  path: string;
  roles: readonly Role[];
  body: z.ZodType<B>;
  /** The Task status taking the step leads to, where it changes it (see stepForTaskStatus). */
  leadsTo?: readonly ReferralStatus[];
  /** Personal data this step writes, which needs an access decision and a log entry. */
  writes?: (body: B) => Access | undefined;
  build: (body: B, ctx: StepContext) => Awaitable<Extract<StepCommand, { type: K }>>;
}>;

/** A step as routes, policies, OpenAPI and FHIR use it; its body's own type stays inside `take`. */
export type Step<K extends StepCommandType = StepCommandType> = Readonly<{
  type: K;
  path: string;
  roles: readonly Role[];
  body: z.ZodType;
  leadsTo: readonly ReferralStatus[];
  /** Parses the body with the interface's parser (so errors come in its own format); then what to write and do. */
  take: (parse: <T>(schema: z.ZodType<T>) => T) => Readonly<{
    writes: Access | undefined;
    build: (ctx: StepContext) => Promise<StepCommand>;
  }>;
}>;

const step = <K extends StepCommandType, B>(type: K, definition: StepDefinition<K, B>): Step<K> => ({
  type,
  path: definition.path,
  roles: definition.roles,
  body: definition.body,
  leadsTo: definition.leadsTo ?? [],
  take: (parse) => {
    const body = parse(definition.body);
    return { writes: definition.writes?.(body), build: async (ctx) => definition.build(body, ctx) };
  },
});

const Message = z.string().trim().min(1).max(4000).optional();
const Hours = z.number().min(0).max(200);
const Empty = z.object({}).strict();

const feedbackWrite = (b: { feedbackMessage?: string | undefined }): Access | undefined =>
  b.feedbackMessage ? { purpose: 'wor-feedback', dataCategory: 'outcome', action: 'C' } : undefined;

/** Every step, keyed by its command: a command without a step (or a step building another command) fails to compile. */
export const STEP_OF_COMMAND = {
  AcceptReferral: step('AcceptReferral', {
    path: 'accept',
    roles: ['coordinator'],
    leadsTo: ['accepted'],
    body: z.object({ feedbackMessage: Message }).strict(),
    writes: feedbackWrite,
    build: async (b, { actor, seal, state, referrals }) => ({
      type: 'AcceptReferral',
      data: {
        organisationId: actor.organisationId ?? '',
        feedbackMessage: await seal(b.feedbackMessage),
        contactThroughGp: (await referrals.contactPreferenceOf(state, actor)) === 'gp-only',
      },
    }),
  }),
  RejectReferral: step('RejectReferral', {
    path: 'reject',
    roles: ['coordinator'],
    leadsTo: ['rejected'],
    body: z.object({ reason: RejectionReason, feedbackMessage: Message }).strict(),
    writes: feedbackWrite,
    build: async (b, { actor, seal }) => ({
      type: 'RejectReferral',
      data: {
        organisationId: actor.organisationId ?? '',
        reason: b.reason,
        feedbackMessage: await seal(b.feedbackMessage),
      },
    }),
  }),
  AssignCoach: step('AssignCoach', {
    path: 'coach',
    roles: ORGANISATION,
    body: z.object({ coachId: z.string().min(1).max(100) }).strict(),
    build: (b, { actor }) => {
      // The contact point (coordinator) assigns anyone; a coach can only take a referral on.
      if (actor.role === 'coach' && b.coachId !== actor.userId)
        throw new HttpProblem({
          status: 403,
          title: 'Forbidden',
          detail: 'A coach can assign only themself; the coordinator assigns others.',
        });
      return { type: 'AssignCoach', data: { coachId: b.coachId } };
    },
  }),
  RecordContactAttempt: step('RecordContactAttempt', {
    path: 'contact-attempts',
    roles: ORGANISATION,
    // A reached patient moves the referral to in-progress (first contact).
    leadsTo: ['in-progress'],
    body: z.object({ reached: z.boolean(), attemptedAt: z.iso.datetime({ offset: true }).optional() }).strict(),
    build: (b, { now }) => ({
      type: 'RecordContactAttempt',
      data: { reached: b.reached, attemptedAt: b.attemptedAt ? new Date(b.attemptedAt) : now },
    }),
  }),
  RecordIntake: step('RecordIntake', {
    path: 'intake',
    roles: ORGANISATION,
    body: z
      .object({
        heldOn: z.iso.date(),
        positiveHealth: PositiveHealthScores,
        goals: z.array(z.object({ text: z.string().trim().min(1).max(1000), baseline: GasScore }).strict()).max(10),
        feedbackMessage: Message,
      })
      .strict(),
    writes: () => ({ purpose: 'wor-coaching', dataCategory: 'health-summary', action: 'C' }),
    build: async (b, { state, referrals, seal }) => {
      const goals = b.goals.map((g) => ({ goalId: randomUUID(), baseline: g.baseline, text: g.text }));
      const goalTexts = goals.length
        ? await referrals.sealFor(state, Object.fromEntries(goals.map((g) => [g.goalId, g.text])))
        : null;
      return {
        type: 'RecordIntake',
        data: {
          heldOn: b.heldOn,
          positiveHealth: b.positiveHealth,
          goals: goals.map(({ goalId, baseline }) => ({ goalId, baseline })),
          goalTexts,
          feedbackMessage: await seal(b.feedbackMessage),
        },
      };
    },
  }),
  LinkActivity: step('LinkActivity', {
    path: 'activities',
    roles: ORGANISATION,
    body: z.object({ serviceId: z.uuid() }).strict(),
    build: async (b, { referrals }) => ({
      type: 'LinkActivity',
      data: { serviceId: b.serviceId, service: await referrals.findService(b.serviceId) },
    }),
  }),
  PutOnHold: step('PutOnHold', {
    path: 'hold',
    roles: ORGANISATION,
    leadsTo: ['on-hold'],
    body: z.object({ reason: HoldReason }).strict(),
    build: (b) => ({ type: 'PutOnHold', data: { reason: b.reason } }),
  }),
  Resume: step('Resume', {
    path: 'resume',
    roles: ORGANISATION,
    // Back to where it was put on hold.
    leadsTo: ['accepted', 'in-progress'],
    body: Empty,
    build: () => ({ type: 'Resume', data: {} }),
  }),
  CompleteReferral: step('CompleteReferral', {
    path: 'complete',
    roles: ORGANISATION,
    leadsTo: ['completed'],
    body: z
      .object({
        outcome: CompletionOutcome,
        positiveHealth: PositiveHealthScores.nullable().optional(),
        gasScores: z.array(z.object({ goalId: z.uuid(), score: GasScore }).strict()).max(10),
        coachHours: Hours,
        feedbackMessage: Message,
        /** Procedures recorded for this referral (FHIR Procedure) that the completion resulted in. */
        procedureIds: z.array(z.string().min(1).max(64)).max(20).optional(),
      })
      .strict(),
    writes: feedbackWrite,
    build: async (b, { seal, state, referrals }) => {
      const recorded = b.procedureIds?.length ? await referrals.procedureIdsOf(state.referralId) : [];
      const unknown = (b.procedureIds ?? []).filter((id) => !recorded.includes(id));
      if (unknown.length)
        throw new HttpProblem({
          status: 422,
          title: 'Unprocessable Content',
          detail: 'The completion names Procedures this referral does not have.',
          extra: {
            errors: unknown.map((id) => ({ path: 'procedureIds', message: `no Procedure ${id} for this referral` })),
          },
        });
      return {
        type: 'CompleteReferral',
        data: {
          outcome: b.outcome,
          positiveHealth: b.positiveHealth ?? null,
          gasScores: b.gasScores,
          coachHours: b.coachHours,
          feedbackMessage: await seal(b.feedbackMessage),
          ...(b.procedureIds?.length ? { procedureIds: b.procedureIds } : {}),
        },
      };
    },
  }),
  FailReferral: step('FailReferral', {
    path: 'fail',
    roles: ORGANISATION,
    leadsTo: ['failed'],
    body: z.object({ reason: FailureReason, coachHours: Hours, feedbackMessage: Message }).strict(),
    writes: feedbackWrite,
    build: async (b, { seal, referrals }) => ({
      type: 'FailReferral',
      data: {
        reason: b.reason,
        coachHours: b.coachHours,
        notReachableAfterAttempts: referrals.config.notReachableAfterAttempts,
        feedbackMessage: await seal(b.feedbackMessage),
      },
    }),
  }),
  CancelReferral: step('CancelReferral', {
    path: 'cancel',
    roles: [...REFERRER, ...ORGANISATION],
    leadsTo: ['cancelled'],
    body: z.object({ feedbackMessage: Message }).strict(),
    writes: feedbackWrite,
    build: async (b, { actor, seal }) => ({
      type: 'CancelReferral',
      data: {
        // The referrer cancels their own referral; the organisation cancels on the patient's request.
        cancelledBy: (sideOfRole(actor.role) === 'referrer'
          ? 'referrer'
          : 'patient-request') satisfies CancellationSource,
        feedbackMessage: await seal(b.feedbackMessage),
      },
    }),
  }),
  MarkEnteredInError: step('MarkEnteredInError', {
    path: 'entered-in-error',
    roles: REFERRER,
    leadsTo: ['entered-in-error'],
    body: Empty,
    build: () => ({ type: 'MarkEnteredInError', data: {} }),
  }),
} satisfies { [K in StepCommandType]: Step<K> };

export const STEPS: readonly Step[] = Object.values(STEP_OF_COMMAND);

export type StepPath = (typeof STEP_OF_COMMAND)[StepCommandType]['path'];

/**
 * The steps the caller may take now: allowed by the decider in the referral's state, open to one of the caller's
 * roles, on the side of the referral the caller's organisation is on.
 */
export const allowedSteps = (state: ReferralState, roles: readonly string[], side: Side | undefined): string[] =>
  STEPS.filter(
    (s) => isAllowed(s.type, state) && s.roles.some((role) => roles.includes(role) && sideOfRole(role) === side),
  ).map((s) => s.path);

/**
 * The step that moves a referral in `current` to Task status `target` (for FHIR Task updates), or undefined when
 * no step does. Unique: the decider allows at most one step per pair (resume is the only way out of on-hold to
 * accepted or in-progress).
 */
export const stepForTaskStatus = (target: ReferralStatus, current: ReferralState): Step | undefined =>
  STEPS.find((s) => s.leadsTo.includes(target) && isAllowed(s.type, current));
