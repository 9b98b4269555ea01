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
