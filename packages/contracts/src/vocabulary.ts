import { z } from 'zod';

// Shared words of the Welzijn op Recept chain (see docs/glossary.md). Codes, never free text.

/** Organisation id: a stable slug, e.g. `huisarts-beterschap` or `welzijn-beterstad`. */
export const OrganisationId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'an organisation id (lowercase slug)');

/** Who referred: huisarts (GP), POH-GGZ / POH-S (practice nurses), praktijkverpleegkundige. */
export const ReferrerRole = z.enum(['huisarts', 'poh-ggz', 'poh-s', 'praktijkverpleegkundige', 'other']);
export type ReferrerRole = z.infer<typeof ReferrerRole>;

/** Reasons for referral seen in practice (domain primer). */
export const ReferralReason = z.enum([
  'eenzaamheid',
  'somberheid-angst',
  'stress-overbelasting',
  'zingeving',
  'rouw',
  'leefstijl-bewegen',
  'financiele-zorgen',
  'werk-dagbesteding',
  'mantelzorgbelasting',
  'other',
]);
export type ReferralReason = z.infer<typeof ReferralReason>;

export const AgeBand = z.enum(['0-17', '18-24', '25-44', '45-64', '65-74', '75+']);
export type AgeBand = z.infer<typeof AgeBand>;

/** FHIR administrative gender. */
export const Sex = z.enum(['female', 'male', 'other', 'unknown']);
export type Sex = z.infer<typeof Sex>;

/** Purposes a patient consents to. */
export const ConsentPurpose = z.enum(['wor-referral', 'wor-coaching', 'wor-feedback']);
export type ConsentPurpose = z.infer<typeof ConsentPurpose>;

/**
 * Why personal data was accessed (NEN 7513): a purpose consented to, or a privacy officer's
 * subject-rights act (AVG art. 15/17), which rests on the law, not on consent. Kept apart from
 * ConsentPurpose so nobody can consent to, or share under an agreement for, 'subject-rights'.
 */
export const AccessPurpose = z.enum([...ConsentPurpose.options, 'subject-rights']);
export type AccessPurpose = z.infer<typeof AccessPurpose>;

/** Categories of personal data that may be shared. */
export const DataCategory = z.enum(['contact-details', 'referral-reason', 'health-summary', 'outcome']);
export type DataCategory = z.infer<typeof DataCategory>;

/** Positieve Gezondheid dimensions (Huber), used to categorise social-map services. */
export const PositiveHealthDimension = z.enum([
  'lichaamsfuncties',
  'mentaal-welbevinden',
  'zingeving',
  'kwaliteit-van-leven',
  'meedoen',
  'dagelijks-functioneren',
]);
export type PositiveHealthDimension = z.infer<typeof PositiveHealthDimension>;

/** The dimensions' Dutch names (Huber, Institute for Positive Health): one source for screens and exports. */
export const POSITIVE_HEALTH_LABELS: Readonly<Record<PositiveHealthDimension, string>> = {
  lichaamsfuncties: 'Lichaamsfuncties',
  'mentaal-welbevinden': 'Mentaal welbevinden',
  zingeving: 'Zingeving',
  'kwaliteit-van-leven': 'Kwaliteit van leven',
  meedoen: 'Meedoen',
  'dagelijks-functioneren': 'Dagelijks functioneren',
};

/** Positieve Gezondheid scores, each dimension 0–10 (the spider web). */
export const PositiveHealthScores = z
  .object(
    Object.fromEntries(PositiveHealthDimension.options.map((d) => [d, z.number().min(0).max(10)])) as Record<
      PositiveHealthDimension,
      z.ZodNumber
    >,
  )
  .strict();
export type PositiveHealthScores = z.infer<typeof PositiveHealthScores>;

/** Goal Attainment Scaling level: −2 (much less than expected) … +2 (much more than expected). */
export const GasScore = z.number().int().min(-2).max(2);

/** Why a welfare organisation rejects a referral. */
export const RejectionReason = z.enum(['outside-target-group', 'outside-area', 'no-capacity', 'other']);
export type RejectionReason = z.infer<typeof RejectionReason>;

/** Why a referral is put on hold. */
export const HoldReason = z.enum([
  'patient-request',
  'patient-unwell',
  'waiting-for-activity',
  'coach-unavailable',
  'other',
]);
export type HoldReason = z.infer<typeof HoldReason>;

/** How a completed referral ended (domain primer, "The chain" step 6). */
export const CompletionOutcome = z.enum(['linked-to-activity', 'activity-continued', 'goals-reached', 'other']);
export type CompletionOutcome = z.infer<typeof CompletionOutcome>;

/** Why a referral failed. */
export const FailureReason = z.enum(['declined', 'not-reachable', 'dropped-out', 'onward-referral']);
export type FailureReason = z.infer<typeof FailureReason>;

/** Who cancelled: the referrer, or the welfare organisation on the patient's request. */
export const CancellationSource = z.enum(['referrer', 'patient-request']);
export type CancellationSource = z.infer<typeof CancellationSource>;

/**
 * When the referrer hears back (terugkoppeling). `contact-request`: the patient wants contact through the GP only,
 * so the platform asks the GP to bring the patient and coach together instead of the coach calling.
 */
export const FeedbackMoment = z.enum(['acceptance', 'rejection', 'intake', 'closure', 'contact-request']);
export type FeedbackMoment = z.infer<typeof FeedbackMoment>;

/** How the patient wants to be contacted; `gp-only`: through the GP only. Sealed personal data, never in an event. */
export const ContactPreference = z.enum(['phone', 'sms', 'email', 'gp-only']);
export type ContactPreference = z.infer<typeof ContactPreference>;
