// Events and commands for the referral's specs: one referral taken through every status.
import type { PositiveHealthScores } from '@wor/contracts';
import type { SealedPersonalData } from '@wor/privacy';
import type { ReferralCommand } from '../commands';
import type { ReferralEvent, ReferralFacts, ReferralStatus } from '../events';

export const now = new Date('2026-11-23T10:00:00.000Z');
export const at = now.toISOString();
export const referralId = '0b8f7a52-51a3-4d0b-a7a5-0f7f0b6c1f10';
export const goalId = '3f0e2a1c-9b7d-4c5e-8a6f-1d2c3b4a5e6f';
export const serviceId = '7d1c9a2e-4b3f-4e5a-9c8d-2e1f0a9b8c7d';
const subjectId = `sub_${'1'.repeat(32)}`;

export const sealed = (label: string): SealedPersonalData => ({
  subjectId,
  alg: 'A256GCM',
  iv: 'aXY=',
  tag: 'dGFn',
  ciphertext: Buffer.from(label).toString('base64'),
});

export const facts: ReferralFacts = {
  referralId,
  consentId: '8c2b3a6e-2f7d-4a43-9d55-2d0f4d2b9b11',
  subjectId,
  patient: sealed('patient'),
  municipality: 'GM9999',
  practiceId: 'huisarts-beterschap',
  recipientOrganisationId: 'welzijn-beterstad',
  referrerRole: 'huisarts',
  reasons: ['eenzaamheid'],
  ageBand: '65-74',
  sex: 'female',
  urgencyNote: null,
};

export const scores = (value: number): PositiveHealthScores => ({
  lichaamsfuncties: value,
  'mentaal-welbevinden': value,
  zingeving: value,
  'kwaliteit-van-leven': value,
  meedoen: value,
  'dagelijks-functioneren': value,
});

/** When the Task of an order (`events.ordered`) was created: a while after the order. */
export const taskAt = new Date(now.getTime() + 60_000).toISOString();

export const events = {
  requested: { type: 'ReferralRequested', data: { ...facts, requestedAt: at, requestedBy: 'user-1' } },
  /** A FHIR ServiceRequest on its own: the order, awaiting its Task. */
  ordered: { type: 'ReferralOrdered', data: { ...facts, orderedAt: at, orderedBy: 'user-1' } },
  /** The Task of that order, created at taskAt: the referral is requested of the recipient from then on. */
  taskCreated: { type: 'ReferralRequested', data: { ...facts, requestedAt: taskAt, requestedBy: 'user-1' } },
  accepted: {
    type: 'ReferralAccepted',
    data: { referralId, organisationId: 'welzijn-beterstad', acceptedAt: at, acceptedBy: 'coordinator-1' },
  },
  rejected: {
    type: 'ReferralRejected',
    data: {
      referralId,
      organisationId: 'welzijn-beterstad',
      reason: 'outside-area',
      rejectedAt: at,
      rejectedBy: 'coordinator-1',
    },
  },
  coachAssigned: {
    type: 'CoachAssigned',
    data: { referralId, coachId: 'coach-anna', previousCoachId: null, assignedAt: at, assignedBy: 'user-1' },
  },
  notReached: {
    type: 'ContactAttempted',
    data: { referralId, attemptNumber: 1, reached: false, attemptedAt: at, recordedBy: 'coach-anna' },
  },
  reached: {
    type: 'ContactAttempted',
    data: { referralId, attemptNumber: 1, reached: true, attemptedAt: at, recordedBy: 'coach-anna' },
  },
  firstContact: { type: 'FirstContactMade', data: { referralId, contactedAt: at } },
  intake: {
    type: 'IntakeHeld',
    data: {
      referralId,
      heldOn: '2026-11-23',
      positiveHealth: scores(5),
      goals: [{ goalId, baseline: -1 }],
      goalTexts: sealed('goals'),
      recordedAt: at,
      recordedBy: 'coach-anna',
    },
  },
  activityLinked: {
    type: 'ActivityLinked',
    data: { referralId, serviceId, name: 'Wandelgroep De Blijebuurt', linkedAt: at, linkedBy: 'coach-anna' },
  },
  onHold: {
    type: 'ReferralPutOnHold',
    data: { referralId, reason: 'patient-unwell', resumeTo: 'in-progress', onHoldAt: at },
  },
  completed: {
    type: 'ReferralCompleted',
    data: {
      referralId,
      outcome: 'linked-to-activity',
      positiveHealth: scores(7),
      gasScores: [{ goalId, score: 1 }],
      coachHours: 8,
      completedAt: at,
    },
  },
  failed: { type: 'ReferralFailed', data: { referralId, reason: 'declined', coachHours: 1, failedAt: at } },
  cancelled: { type: 'ReferralCancelled', data: { referralId, cancelledBy: 'referrer', cancelledAt: at } },
  enteredInError: { type: 'ReferralEnteredInError', data: { referralId, markedAt: at } },
} satisfies Record<string, ReferralEvent>;

const e = events;
const inProgress = [e.requested, e.accepted, e.coachAssigned, e.reached, e.firstContact];

/** A history that leaves the referral in each status, with a coach assigned where one can be. */
export const historyIn: Record<ReferralStatus, ReferralEvent[]> = {
  requested: [e.requested],
  accepted: [e.requested, e.accepted, e.coachAssigned],
  rejected: [e.requested, e.rejected],
  'in-progress': inProgress,
  'on-hold': [...inProgress, e.onHold],
  completed: [...inProgress, e.intake, e.completed],
  failed: [e.requested, e.accepted, e.coachAssigned, e.failed],
  cancelled: [e.requested, e.cancelled],
  'entered-in-error': [e.requested, e.enteredInError],
};

const metadata = { now, by: 'user-1' };

/** One valid command of each type, for a referral without agreed goals. */
export const commands: Record<ReferralCommand['type'], ReferralCommand> = {
  SubmitReferral: {
    type: 'SubmitReferral',
    data: { ...facts, sharing: { permitted: true, reason: null }, withTask: true },
    metadata,
  },
  CreateTask: { type: 'CreateTask', data: {}, metadata },
  AcceptReferral: {
    type: 'AcceptReferral',
    data: { organisationId: 'welzijn-beterstad', feedbackMessage: null, contactThroughGp: false },
    metadata,
  },
  RejectReferral: {
    type: 'RejectReferral',
    data: { organisationId: 'welzijn-beterstad', reason: 'no-capacity', feedbackMessage: null },
    metadata,
  },
  AssignCoach: { type: 'AssignCoach', data: { coachId: 'coach-bram' }, metadata },
  RecordContactAttempt: { type: 'RecordContactAttempt', data: { reached: false, attemptedAt: now }, metadata },
  RecordIntake: {
    type: 'RecordIntake',
    data: {
      heldOn: '2026-11-23',
      positiveHealth: scores(5),
      goals: [{ goalId, baseline: -1 }],
      goalTexts: null,
      feedbackMessage: null,
    },
    metadata,
  },
  LinkActivity: {
    type: 'LinkActivity',
    data: { serviceId, service: { name: 'Wandelgroep De Blijebuurt', active: true } },
    metadata,
  },
  PutOnHold: { type: 'PutOnHold', data: { reason: 'patient-request' }, metadata },
  Resume: { type: 'Resume', data: {}, metadata },
  CompleteReferral: {
    type: 'CompleteReferral',
    data: {
      outcome: 'activity-continued',
      positiveHealth: null,
      gasScores: [],
      coachHours: 7.5,
      feedbackMessage: null,
    },
    metadata,
  },
  FailReferral: {
    type: 'FailReferral',
    data: { reason: 'declined', coachHours: 1, notReachableAfterAttempts: 3, feedbackMessage: null },
    metadata,
  },
  CancelReferral: { type: 'CancelReferral', data: { cancelledBy: 'referrer', feedbackMessage: null }, metadata },
  MarkEnteredInError: { type: 'MarkEnteredInError', data: {}, metadata },
};
