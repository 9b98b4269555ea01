import { z } from 'zod';
import { defineEvent } from '../envelope';
import {
  AgeBand,
  CancellationSource,
  CompletionOutcome,
  FailureReason,
  FeedbackMoment,
  GasScore,
  HoldReason,
  OrganisationId,
  PositiveHealthScores,
  ReferralReason,
  ReferrerRole,
  RejectionReason,
  Sex,
} from '../vocabulary';

// One event per Welzijn op Recept step (Gravity Task statuses). Codes, counts and scores only: the
// patient's contact details, the urgency note, goal texts and feedback texts stay in the referral
// service, sealed with the patient's own key.

const at = z.iso.datetime({ offset: true });
const referralId = z.uuid();

/** A GP system referred a patient to a welfare organisation. Carries no personal data. */
export const ReferralRequestedV1 = defineEvent(
  'ReferralRequested',
  1,
  z.object({
    referralId,
    consentId: z.uuid(),
    practiceId: OrganisationId,
    recipientOrganisationId: OrganisationId,
    referrerRole: ReferrerRole,
    reasons: z.array(ReferralReason).min(1).max(10),
    ageBand: AgeBand,
    sex: Sex,
    requestedAt: at,
  }),
);
export type ReferralRequestedV1 = z.infer<typeof ReferralRequestedV1>;

/** The welfare organisation accepted the referral (Task `accepted`). */
export const ReferralAcceptedV1 = defineEvent(
  'ReferralAccepted',
  1,
  z.object({ referralId, organisationId: OrganisationId, acceptedAt: at }),
);
export type ReferralAcceptedV1 = z.infer<typeof ReferralAcceptedV1>;

/** The welfare organisation rejected the referral (Task `rejected`), with a coded reason. */
export const ReferralRejectedV1 = defineEvent(
  'ReferralRejected',
  1,
  z.object({ referralId, organisationId: OrganisationId, reason: RejectionReason, rejectedAt: at }),
);
export type ReferralRejectedV1 = z.infer<typeof ReferralRejectedV1>;

/** A coach became the contact point (aanspreekpunt). Which coach stays inside the organisation. */
export const CoachAssignedV1 = defineEvent(
  'CoachAssigned',
  1,
  z.object({ referralId, organisationId: OrganisationId, reassignment: z.boolean(), assignedAt: at }),
);
export type CoachAssignedV1 = z.infer<typeof CoachAssignedV1>;

/** The coach tried to reach the patient. */
export const ContactAttemptedV1 = defineEvent(
  'ContactAttempted',
  1,
  z.object({ referralId, attemptNumber: z.number().int().positive(), reached: z.boolean(), attemptedAt: at }),
);
export type ContactAttemptedV1 = z.infer<typeof ContactAttemptedV1>;

/** The first successful contact with the patient (the first-contact deadline is met or missed here). */
export const FirstContactMadeV1 = defineEvent('FirstContactMade', 1, z.object({ referralId, contactedAt: at }));
export type FirstContactMadeV1 = z.infer<typeof FirstContactMadeV1>;

/** The intake conversation (Task `in-progress`): Positieve Gezondheid at the start and the goals' baselines. */
export const IntakeHeldV1 = defineEvent(
  'IntakeHeld',
  1,
  z.object({
    referralId,
    heldOn: z.iso.date(),
    positiveHealth: PositiveHealthScores,
    goals: z.array(z.object({ goalId: z.uuid(), baseline: GasScore }).strict()).max(10),
    recordedAt: at,
  }),
);
export type IntakeHeldV1 = z.infer<typeof IntakeHeldV1>;

/** An activity from the sociale kaart (a social-map service) was linked to the referral. */
export const ActivityLinkedV1 = defineEvent(
  'ActivityLinked',
  1,
  z.object({ referralId, serviceId: z.uuid(), linkedAt: at }),
);
export type ActivityLinkedV1 = z.infer<typeof ActivityLinkedV1>;

export const ReferralPutOnHoldV1 = defineEvent(
  'ReferralPutOnHold',
  1,
  z.object({ referralId, reason: HoldReason, onHoldAt: at }),
);
export type ReferralPutOnHoldV1 = z.infer<typeof ReferralPutOnHoldV1>;

export const ReferralResumedV1 = defineEvent('ReferralResumed', 1, z.object({ referralId, resumedAt: at }));
export type ReferralResumedV1 = z.infer<typeof ReferralResumedV1>;

/** Closed as completed (Task `completed`), with the outcome measures. */
export const ReferralCompletedV1 = defineEvent(
  'ReferralCompleted',
  1,
  z.object({
    referralId,
    outcome: CompletionOutcome,
    positiveHealth: PositiveHealthScores.nullable(),
    gasScores: z.array(z.object({ goalId: z.uuid(), score: GasScore }).strict()).max(10),
    coachHours: z.number().min(0).max(200),
    completedAt: at,
  }),
);
export type ReferralCompletedV1 = z.infer<typeof ReferralCompletedV1>;

/** Closed as failed (Task `failed`): declined, not reachable, dropped out or onward referral. */
export const ReferralFailedV1 = defineEvent(
  'ReferralFailed',
  1,
  z.object({ referralId, reason: FailureReason, coachHours: z.number().min(0).max(200), failedAt: at }),
);
export type ReferralFailedV1 = z.infer<typeof ReferralFailedV1>;

export const ReferralCancelledV1 = defineEvent(
  'ReferralCancelled',
  1,
  z.object({ referralId, cancelledBy: CancellationSource, cancelledAt: at }),
);
export type ReferralCancelledV1 = z.infer<typeof ReferralCancelledV1>;

/** The referral should never have existed; reporting drops it from every count. */
export const ReferralEnteredInErrorV1 = defineEvent(
  'ReferralEnteredInError',
  1,
  z.object({ referralId, markedAt: at }),
);
export type ReferralEnteredInErrorV1 = z.infer<typeof ReferralEnteredInErrorV1>;

/** Terugkoppeling: feedback went to the referring practice. Its content stays in the referral service. */
export const FeedbackSentV1 = defineEvent(
  'FeedbackSent',
  1,
  z.object({ referralId, moment: FeedbackMoment, practiceId: OrganisationId, sentAt: at }),
);
export type FeedbackSentV1 = z.infer<typeof FeedbackSentV1>;

/**
 * A welfare organisation's coordinator planned its coach hours for a month (capacity planning), or changed the
 * plan: the latest plan for a month replaces the earlier ones. No subject, no municipality, no user: plain figures.
 */
export const CapacityPlannedV1 = defineEvent(
  'CapacityPlanned',
  1,
  z.object({
    organisationId: OrganisationId,
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM'),
    coachHours: z.number().min(0).max(100_000),
    expectedHoursPerReferral: z.number().min(1).max(100),
    plannedAt: at,
  }),
);
export type CapacityPlannedV1 = z.infer<typeof CapacityPlannedV1>;

export const referralEventSchemas = {
  'ReferralRequested.v1': ReferralRequestedV1,
  'ReferralAccepted.v1': ReferralAcceptedV1,
  'ReferralRejected.v1': ReferralRejectedV1,
  'CoachAssigned.v1': CoachAssignedV1,
  'ContactAttempted.v1': ContactAttemptedV1,
  'FirstContactMade.v1': FirstContactMadeV1,
  'IntakeHeld.v1': IntakeHeldV1,
  'ActivityLinked.v1': ActivityLinkedV1,
  'ReferralPutOnHold.v1': ReferralPutOnHoldV1,
  'ReferralResumed.v1': ReferralResumedV1,
  'ReferralCompleted.v1': ReferralCompletedV1,
  'ReferralFailed.v1': ReferralFailedV1,
  'ReferralCancelled.v1': ReferralCancelledV1,
  'ReferralEnteredInError.v1': ReferralEnteredInErrorV1,
  'FeedbackSent.v1': FeedbackSentV1,
  'CapacityPlanned.v1': CapacityPlannedV1,
} as const;
