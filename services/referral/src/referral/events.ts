// The referral's domain events, as stored in its stream. Personal data (contact details, the urgency
// note, goal texts, feedback messages) is sealed with the patient's own key; integration-events.ts
// decides what of this may leave the service.
import type {
  AgeBand,
  CancellationSource,
  CompletionOutcome,
  FailureReason,
  FeedbackMoment,
  HoldReason,
  PositiveHealthScores,
  ReferralReason,
  ReferrerRole,
  RejectionReason,
  Sex,
} from '@wor/contracts';
import type { SealedPersonalData } from '@wor/privacy';

/** HL7 Gravity Task statuses a referral can be in (`draft` stays in the GP system). */
export const REFERRAL_STATUSES = [
  'requested',
  'accepted',
  'rejected',
  'in-progress',
  'on-hold',
  'completed',
  'failed',
  'cancelled',
  'entered-in-error',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export type ReferralFacts = Readonly<{
  referralId: string;
  consentId: string;
  subjectId: string;
  /** Contact details, sealed with the subject's own key (crypto-shredding). */
  patient: SealedPersonalData;
  municipality: string;
  practiceId: string;
  recipientOrganisationId: string;
  referrerRole: ReferrerRole;
  reasons: ReferralReason[];
  ageBand: AgeBand;
  sex: Sex;
  /** The referrer's urgency note: free text, so sealed like contact details. */
  urgencyNote: SealedPersonalData | null;
}>;

export type Goal = Readonly<{ goalId: string; baseline: number }>;
export type GasScoreOfGoal = Readonly<{ goalId: string; score: number }>;
export type LinkedActivity = Readonly<{ serviceId: string; name: string }>;

/** What the referrer is told (terugkoppeling): codes, plus an optional sealed message from the coach. */
export type FeedbackSummary = Readonly<{
  status: ReferralStatus;
  reasonCode: RejectionReason | FailureReason | HoldReason | null;
  outcome: CompletionOutcome | null;
  activities: LinkedActivity[];
  positiveHealth: PositiveHealthScores | null;
}>;

type E<T extends string, D> = Readonly<{ type: T; data: Readonly<D> }>;

export type ReferralEvent =
  /**
   * The referral source's order (a FHIR ServiceRequest posted on its own), consent-checked and sealed, awaiting its
   * Task. Only the referrer sees it; the referral starts (ReferralRequested, with the same facts) when its Task is
   * created. Nothing of it leaves the service before then.
   */
  | E<'ReferralOrdered', ReferralFacts & { orderedAt: string; orderedBy: string }>
  | E<'ReferralRequested', ReferralFacts & { requestedAt: string; requestedBy: string }>
  | E<'ReferralAccepted', { referralId: string; organisationId: string; acceptedAt: string; acceptedBy: string }>
  | E<
      'ReferralRejected',
      { referralId: string; organisationId: string; reason: RejectionReason; rejectedAt: string; rejectedBy: string }
    >
  | E<
      'CoachAssigned',
      { referralId: string; coachId: string; previousCoachId: string | null; assignedAt: string; assignedBy: string }
    >
  | E<
      'ContactAttempted',
      { referralId: string; attemptNumber: number; reached: boolean; attemptedAt: string; recordedBy: string }
    >
  | E<'FirstContactMade', { referralId: string; contactedAt: string }>
  | E<
      'IntakeHeld',
      {
        referralId: string;
        heldOn: string;
        positiveHealth: PositiveHealthScores;
        goals: Goal[];
        goalTexts: SealedPersonalData | null;
        recordedAt: string;
        recordedBy: string;
      }
    >
  | E<'ActivityLinked', LinkedActivity & { referralId: string; linkedAt: string; linkedBy: string }>
  | E<
      'ReferralPutOnHold',
      { referralId: string; reason: HoldReason; resumeTo: 'accepted' | 'in-progress'; onHoldAt: string }
    >
  | E<'ReferralResumed', { referralId: string; status: 'accepted' | 'in-progress'; resumedAt: string }>
  | E<
      'ReferralCompleted',
      {
        referralId: string;
        outcome: CompletionOutcome;
        positiveHealth: PositiveHealthScores | null;
        gasScores: GasScoreOfGoal[];
        coachHours: number;
        completedAt: string;
        /** The Procedures (procedure/) the completion resulted in; absent when it names none. */
        procedureIds?: readonly string[];
      }
    >
  | E<'ReferralFailed', { referralId: string; reason: FailureReason; coachHours: number; failedAt: string }>
  | E<'ReferralCancelled', { referralId: string; cancelledBy: CancellationSource; cancelledAt: string }>
  | E<'ReferralEnteredInError', { referralId: string; markedAt: string }>
  | E<
      'FeedbackSent',
      {
        referralId: string;
        moment: FeedbackMoment;
        practiceId: string;
        summary: FeedbackSummary;
        message: SealedPersonalData | null;
        sentAt: string;
      }
    >;

export type ReferralEventType = ReferralEvent['type'];

/**
 * The Task status each event leaves the referral in, null where it stays. Projections (FHIR Task index, work
 * queues) take the status from here, so a new event is one entry here rather than one in each of them.
 */
export const statusAfter = (event: ReferralEvent): ReferralStatus | null => {
  switch (event.type) {
    case 'ReferralRequested':
      return 'requested';
    case 'ReferralAccepted':
      return 'accepted';
    case 'ReferralRejected':
      return 'rejected';
    case 'FirstContactMade':
      return 'in-progress';
    case 'ReferralPutOnHold':
      return 'on-hold';
    case 'ReferralResumed':
      return event.data.status;
    case 'ReferralCompleted':
      return 'completed';
    case 'ReferralFailed':
      return 'failed';
    case 'ReferralCancelled':
      return 'cancelled';
    case 'ReferralEnteredInError':
      return 'entered-in-error';
    // An order without its Task has no Task status yet: projections of Tasks start at ReferralRequested.
    case 'ReferralOrdered':
    case 'CoachAssigned':
    case 'ContactAttempted':
    case 'IntakeHeld':
    case 'ActivityLinked':
    case 'FeedbackSent':
      return null;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

const OCCURRED_AT: { [T in ReferralEventType]: (e: Extract<ReferralEvent, { type: T }>['data']) => string } = {
  ReferralOrdered: (d) => d.orderedAt,
  ReferralRequested: (d) => d.requestedAt,
  ReferralAccepted: (d) => d.acceptedAt,
  ReferralRejected: (d) => d.rejectedAt,
  CoachAssigned: (d) => d.assignedAt,
  ContactAttempted: (d) => d.attemptedAt,
  FirstContactMade: (d) => d.contactedAt,
  IntakeHeld: (d) => d.recordedAt,
  ActivityLinked: (d) => d.linkedAt,
  ReferralPutOnHold: (d) => d.onHoldAt,
  ReferralResumed: (d) => d.resumedAt,
  ReferralCompleted: (d) => d.completedAt,
  ReferralFailed: (d) => d.failedAt,
  ReferralCancelled: (d) => d.cancelledAt,
  ReferralEnteredInError: (d) => d.markedAt,
  FeedbackSent: (d) => d.sentAt,
};

/** When the event happened (ISO 8601), by its own time field. */
export const occurredAt = (e: ReferralEvent): string => (OCCURRED_AT[e.type] as (d: unknown) => string)(e.data);
