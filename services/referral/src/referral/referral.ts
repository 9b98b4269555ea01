// The referral aggregate: HL7 Gravity Task statuses with the Welzijn op Recept steps inside them.
// Pure decide/evolve; every refusal names the status the referral is in.
import type { FeedbackMoment, PositiveHealthScores } from '@wor/contracts';
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '@wor/event-store';
import type { SealedPersonalData } from '@wor/privacy';
import type { ReferralCommand, ReferralCommandType } from './commands';
import type { FeedbackSummary, Goal, LinkedActivity, ReferralEvent, ReferralFacts, ReferralStatus } from './events';

export type ReferralState = ReferralFacts &
  Readonly<{
    status: ReferralStatus;
    /** An order (ServiceRequest) whose Task is not created yet: the referrer's alone, nothing but CreateTask. */
    awaitingTask: boolean;
    /** When the order came (ServiceRequest.authoredOn); requestedAt is when its Task asked the recipient. */
    orderedAt: string;
    requestedAt: string;
    acceptedAt: string | null;
    coachId: string | null;
    contactAttempts: number;
    unsuccessfulAttempts: number;
    firstContactAt: string | null;
    intake: Readonly<{ heldOn: string; positiveHealth: PositiveHealthScores; goals: Goal[] }> | null;
    activities: LinkedActivity[];
    /** Where a referral on hold resumes to. */
    resumeTo: 'accepted' | 'in-progress' | null;
    closedAt: string | null;
    /** When the GP was asked for contact (the patient wants contact through the GP only); null otherwise. */
    contactRequestedViaGpAt: string | null;
  }>;

export type Referral = { status: 'none' } | ReferralState;

export const initialState = (): Referral => ({ status: 'none' });

const ACTIVE = ['accepted', 'in-progress', 'on-hold'] as const;

/** Where each command is allowed. Anything else is refused with the status named. */
export const ALLOWED_IN: Record<ReferralCommandType, readonly ReferralStatus[]> = {
  SubmitReferral: [],
  // Only while the referral awaits its Task (see isAllowed).
  CreateTask: ['requested'],
  AcceptReferral: ['requested'],
  RejectReferral: ['requested'],
  AssignCoach: ACTIVE,
  RecordContactAttempt: ['accepted', 'in-progress'],
  RecordIntake: ['in-progress'],
  LinkActivity: ['in-progress'],
  PutOnHold: ['accepted', 'in-progress'],
  Resume: ['on-hold'],
  // Completion means the patient was coached, so it needs contact (in-progress); decline and
  // not-reachable close an accepted referral as failed instead.
  CompleteReferral: ['in-progress', 'on-hold'],
  FailReferral: ACTIVE,
  CancelReferral: ['requested', ...ACTIVE],
  MarkEnteredInError: [
    'requested',
    'accepted',
    'rejected',
    'in-progress',
    'on-hold',
    'completed',
    'failed',
    'cancelled',
  ],
};

/**
 * Whether a command can be taken now, judged on the state alone: its status (ALLOWED_IN) and facts that refuse it
 * whoever asks (an intake is held once). What a referral view offers as `allowedSteps`.
 */
export const isAllowed = (type: ReferralCommandType, state: ReferralState): boolean =>
  ALLOWED_IN[type].includes(state.status) && !(type === 'RecordIntake' && state.intake) && awaitsTaskOnly(type, state);

/** An order awaiting its Task takes only CreateTask; CreateTask only such an order (a Task is created once). */
const awaitsTaskOnly = (type: ReferralCommandType, state: ReferralState): boolean =>
  state.awaitingTask === (type === 'CreateTask');

const VERB: Record<ReferralCommandType, string> = {
  SubmitReferral: 'submit',
  CreateTask: 'create the Task of',
  AcceptReferral: 'accept',
  RejectReferral: 'reject',
  AssignCoach: 'assign a coach to',
  RecordContactAttempt: 'record a contact attempt on',
  RecordIntake: 'record an intake on',
  LinkActivity: 'link an activity to',
  PutOnHold: 'put on hold',
  Resume: 'resume',
  CompleteReferral: 'complete',
  FailReferral: 'close as failed',
  CancelReferral: 'cancel',
  MarkEnteredInError: 'mark as entered in error',
};

const refuse = (command: ReferralCommandType, state: ReferralState): never => {
  const allowed = ALLOWED_IN[command];
  throw new IllegalStateError(
    `Cannot ${VERB[command]} a referral that is ${state.status}` +
      (allowed.length ? `; allowed when ${allowed.join(', ')}.` : '.'),
  );
};

const feedback = (
  state: ReferralState,
  moment: FeedbackMoment,
  summary: Partial<FeedbackSummary> & { status: ReferralStatus },
  message: SealedPersonalData | null,
  sentAt: string,
): ReferralEvent => ({
  type: 'FeedbackSent',
  data: {
    referralId: state.referralId,
    moment,
    practiceId: state.practiceId,
    summary: { reasonCode: null, outcome: null, activities: state.activities, positiveHealth: null, ...summary },
    message,
    sentAt,
  },
});

export const decide = (command: ReferralCommand, state: Referral): ReferralEvent[] => {
  const at = command.metadata.now.toISOString();
  const by = command.metadata.by;

  if (command.type === 'SubmitReferral') {
    if (state.status !== 'none')
      throw new IllegalStateError(`Referral ${command.data.referralId} is already ${state.status}.`);
    const { sharing, withTask, ...facts } = command.data;
    if (!sharing.permitted)
      throw new ForbiddenError(`The referral may not be shared: ${sharing.reason ?? 'no reason given'}.`);
    return withTask
      ? [{ type: 'ReferralRequested', data: { ...facts, requestedAt: at, requestedBy: by } }]
      : [{ type: 'ReferralOrdered', data: { ...facts, orderedAt: at, orderedBy: by } }];
  }
  if (state.status === 'none') throw new NotFoundError('No such referral.');
  const { referralId } = state;
  if (state.awaitingTask && command.type !== 'CreateTask')
    throw new IllegalStateError(
      `Referral ${referralId} awaits its Task: create the Task (focus ServiceRequest/${referralId}) first.`,
    );
  if (!ALLOWED_IN[command.type].includes(state.status)) return refuse(command.type, state);
  if (!state.awaitingTask && command.type === 'CreateTask')
    throw new IllegalStateError(`The Task of referral ${referralId} exists already: Task/${referralId}.`);

  switch (command.type) {
    case 'CreateTask':
      // The Task asks the recipient: from here on the referral is theirs to see, with the facts of the order.
      return [{ type: 'ReferralRequested', data: { ...factsOf(state), requestedAt: at, requestedBy: by } }];
    case 'AcceptReferral': {
      assertRecipient(state, command.data.organisationId);
      return [
        {
          type: 'ReferralAccepted',
          data: { referralId, organisationId: command.data.organisationId, acceptedAt: at, acceptedBy: by },
        },
        feedback(state, 'acceptance', { status: 'accepted' }, command.data.feedbackMessage, at),
        // Contact through the GP only: the platform asks the GP to bring patient and coach together.
        ...(command.data.contactThroughGp
          ? [feedback(state, 'contact-request', { status: 'accepted' }, null, at)]
          : []),
      ];
    }
    case 'RejectReferral': {
      const { organisationId, reason, feedbackMessage } = command.data;
      assertRecipient(state, organisationId);
      return [
        { type: 'ReferralRejected', data: { referralId, organisationId, reason, rejectedAt: at, rejectedBy: by } },
        feedback(state, 'rejection', { status: 'rejected', reasonCode: reason }, feedbackMessage, at),
      ];
    }
    case 'AssignCoach': {
      if (state.coachId === command.data.coachId) return []; // already the contact point: nothing happens
      return [
        {
          type: 'CoachAssigned',
          data: {
            referralId,
            coachId: command.data.coachId,
            previousCoachId: state.coachId,
            assignedAt: at,
            assignedBy: by,
          },
        },
      ];
    }
    case 'RecordContactAttempt': {
      if (!state.coachId) throw new IllegalStateError('Assign a coach before recording contact attempts.');
      // The coach does not call a patient who wants contact through the GP only; the contact the GP arranged is
      // recorded as reached (it is how the referral moves on to in-progress).
      if (state.contactRequestedViaGpAt && !command.data.reached)
        throw new IllegalStateError(
          `The patient wants contact through the GP only (contact preference gp-only); the GP was asked for contact on ${state.contactRequestedViaGpAt}. Record the contact once the patient is reached through the GP (reached: true).`,
        );
      const attemptedAt = command.data.attemptedAt;
      if (attemptedAt < new Date(state.requestedAt) || attemptedAt > command.metadata.now)
        throw new ValidationError('A contact attempt lies between the referral and now.');
      const attempt: ReferralEvent = {
        type: 'ContactAttempted',
        data: {
          referralId,
          attemptNumber: state.contactAttempts + 1,
          reached: command.data.reached,
          attemptedAt: attemptedAt.toISOString(),
          recordedBy: by,
        },
      };
      return command.data.reached && !state.firstContactAt
        ? [attempt, { type: 'FirstContactMade', data: { referralId, contactedAt: attemptedAt.toISOString() } }]
        : [attempt];
    }
    case 'RecordIntake': {
      if (state.intake)
        throw new IllegalStateError(`The intake was already recorded (held on ${state.intake.heldOn}).`);
      const { heldOn, positiveHealth, goals, goalTexts, feedbackMessage } = command.data;
      if (new Set(goals.map((g) => g.goalId)).size !== goals.length)
        throw new ValidationError('Each goal needs its own id.');
      return [
        {
          type: 'IntakeHeld',
          data: { referralId, heldOn, positiveHealth, goals, goalTexts, recordedAt: at, recordedBy: by },
        },
        feedback(state, 'intake', { status: 'in-progress', positiveHealth }, feedbackMessage, at),
      ];
    }
    case 'LinkActivity': {
      const { serviceId, service } = command.data;
      if (!service) throw new ValidationError(`Social-map service ${serviceId} is unknown to the referral service.`);
      if (!service.active) throw new ValidationError(`Social-map service ${serviceId} is no longer active.`);
      if (state.activities.some((a) => a.serviceId === serviceId))
        throw new IllegalStateError(`Social-map service ${serviceId} is already linked to this referral.`);
      return [
        { type: 'ActivityLinked', data: { referralId, serviceId, name: service.name, linkedAt: at, linkedBy: by } },
      ];
    }
    case 'PutOnHold': {
      const resumeTo = state.status === 'in-progress' ? 'in-progress' : 'accepted';
      return [{ type: 'ReferralPutOnHold', data: { referralId, reason: command.data.reason, resumeTo, onHoldAt: at } }];
    }
    case 'Resume':
      return [{ type: 'ReferralResumed', data: { referralId, status: state.resumeTo ?? 'accepted', resumedAt: at } }];
    case 'CompleteReferral': {
      const { outcome, positiveHealth, gasScores, coachHours, feedbackMessage, procedureIds = [] } = command.data;
      assertGasScores(state, gasScores);
      return [
        {
          type: 'ReferralCompleted',
          data: {
            referralId,
            outcome,
            positiveHealth,
            gasScores,
            coachHours,
            completedAt: at,
            ...(procedureIds.length ? { procedureIds: [...new Set(procedureIds)] } : {}),
          },
        },
        feedback(state, 'closure', { status: 'completed', outcome, positiveHealth }, feedbackMessage, at),
      ];
    }
    case 'FailReferral': {
      const { reason, coachHours, notReachableAfterAttempts, feedbackMessage } = command.data;
      if (reason === 'not-reachable') assertNotReachable(state, notReachableAfterAttempts);
      return [
        { type: 'ReferralFailed', data: { referralId, reason, coachHours, failedAt: at } },
        feedback(state, 'closure', { status: 'failed', reasonCode: reason }, feedbackMessage, at),
      ];
    }
    case 'CancelReferral': {
      const { cancelledBy, feedbackMessage } = command.data;
      const cancelled: ReferralEvent = {
        type: 'ReferralCancelled',
        data: { referralId, cancelledBy, cancelledAt: at },
      };
      // The referrer cancelling needs no answer; a cancellation on the patient's request is a closure they hear of.
      return cancelledBy === 'patient-request'
        ? [cancelled, feedback(state, 'closure', { status: 'cancelled' }, feedbackMessage, at)]
        : [cancelled];
    }
    case 'MarkEnteredInError':
      return [{ type: 'ReferralEnteredInError', data: { referralId, markedAt: at } }];
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown command ${(_exhaustive as ReferralCommand).type}`);
    }
  }
};

const factsOf = (state: ReferralState): ReferralFacts => ({
  referralId: state.referralId,
  consentId: state.consentId,
  subjectId: state.subjectId,
  patient: state.patient,
  municipality: state.municipality,
  practiceId: state.practiceId,
  recipientOrganisationId: state.recipientOrganisationId,
  referrerRole: state.referrerRole,
  reasons: state.reasons,
  ageBand: state.ageBand,
  sex: state.sex,
  urgencyNote: state.urgencyNote,
});

const assertRecipient = (state: ReferralState, organisationId: string): void => {
  if (organisationId !== state.recipientOrganisationId)
    throw new ForbiddenError(
      `Only the receiving organisation ${state.recipientOrganisationId} can answer this referral.`,
    );
};

const assertGasScores = (state: ReferralState, scores: readonly { goalId: string }[]): void => {
  const agreed = new Set(state.intake?.goals.map((g) => g.goalId) ?? []);
  const unknown = scores.filter((s) => !agreed.has(s.goalId)).map((s) => s.goalId);
  if (unknown.length) throw new ValidationError(`GAS scores for goals not agreed at intake: ${unknown.join(', ')}.`);
  const scored = new Set(scores.map((s) => s.goalId));
  const missing = [...agreed].filter((g) => !scored.has(g));
  if (missing.length)
    throw new ValidationError(`Every goal agreed at intake needs a GAS score; missing: ${missing.join(', ')}.`);
};

const assertNotReachable = (state: ReferralState, threshold: number): void => {
  if (state.firstContactAt)
    throw new IllegalStateError('The patient was reached; close as dropped out or declined instead of not reachable.');
  if (state.unsuccessfulAttempts < threshold)
    throw new IllegalStateError(
      `A referral can fail as not reachable after ${threshold} unsuccessful contact attempts; ${state.unsuccessfulAttempts} recorded.`,
    );
};

const opened = (
  facts: ReferralFacts,
  times: { awaitingTask: boolean; orderedAt: string; requestedAt: string },
): ReferralState => ({
  ...facts,
  ...times,
  status: 'requested',
  acceptedAt: null,
  coachId: null,
  contactAttempts: 0,
  unsuccessfulAttempts: 0,
  firstContactAt: null,
  intake: null,
  activities: [],
  resumeTo: null,
  closedAt: null,
  contactRequestedViaGpAt: null,
});

export const evolve = (state: Referral, event: ReferralEvent): Referral => {
  if (event.type === 'ReferralOrdered') {
    const { orderedBy: _by, orderedAt, ...facts } = event.data;
    return opened(facts, { awaitingTask: true, orderedAt, requestedAt: orderedAt });
  }
  if (event.type === 'ReferralRequested') {
    const { requestedBy: _by, requestedAt, ...facts } = event.data;
    // After an order, the Task's creation: the order's time stays the ServiceRequest's.
    const orderedAt = state.status === 'none' ? requestedAt : state.orderedAt;
    return opened(facts, { awaitingTask: false, orderedAt, requestedAt });
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ReferralAccepted':
      return { ...state, status: 'accepted', acceptedAt: event.data.acceptedAt };
    case 'ReferralRejected':
      return { ...state, status: 'rejected', closedAt: event.data.rejectedAt };
    case 'CoachAssigned':
      return { ...state, coachId: event.data.coachId };
    case 'ContactAttempted':
      return {
        ...state,
        contactAttempts: event.data.attemptNumber,
        unsuccessfulAttempts: state.unsuccessfulAttempts + (event.data.reached ? 0 : 1),
      };
    case 'FirstContactMade':
      return { ...state, status: 'in-progress', firstContactAt: event.data.contactedAt };
    case 'IntakeHeld':
      return {
        ...state,
        intake: { heldOn: event.data.heldOn, positiveHealth: event.data.positiveHealth, goals: event.data.goals },
      };
    case 'ActivityLinked':
      return {
        ...state,
        activities: [...state.activities, { serviceId: event.data.serviceId, name: event.data.name }],
      };
    case 'ReferralPutOnHold':
      return { ...state, status: 'on-hold', resumeTo: event.data.resumeTo };
    case 'ReferralResumed':
      return { ...state, status: event.data.status, resumeTo: null };
    case 'ReferralCompleted':
      return { ...state, status: 'completed', closedAt: event.data.completedAt };
    case 'ReferralFailed':
      return { ...state, status: 'failed', closedAt: event.data.failedAt };
    case 'ReferralCancelled':
      return { ...state, status: 'cancelled', closedAt: event.data.cancelledAt };
    case 'ReferralEnteredInError':
      return { ...state, status: 'entered-in-error', closedAt: event.data.markedAt };
    case 'FeedbackSent':
      return event.data.moment === 'contact-request' ? { ...state, contactRequestedViaGpAt: event.data.sentAt } : state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

export const REFERRAL_STREAM_PREFIX = 'referral-';
export const referralStreamId = (referralId: string): string => `${REFERRAL_STREAM_PREFIX}${referralId}`;
export const referralDecider = { decide, evolve, initialState };
