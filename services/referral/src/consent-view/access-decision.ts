// The referral service decides locally from its own view of the consent service's events, so it keeps
// working while that service is briefly down.
import type { ConsentPurpose } from '@wor/contracts';

export type ConsentRecord = Readonly<{
  consentId: string;
  subjectId: string;
  recipientOrganisationId: string;
  purposes: readonly ConsentPurpose[];
  validFrom: Date;
  validUntil: Date | null;
  withdrawnAt: Date | null;
}>;

export type AccessDecision = { permitted: true } | { permitted: false; reason: string };

export type AccessQuestion = Readonly<{
  subjectId: string;
  recipientOrganisationId: string;
  purpose: ConsentPurpose;
  at: Date;
}>;

/** May the recipient process this subject's data for the purpose, under this consent, at that time? */
export const decideAccess = (consent: ConsentRecord | undefined, question: AccessQuestion): AccessDecision => {
  if (!consent) return { permitted: false, reason: 'the consent is unknown to the referral service' };
  if (consent.subjectId !== question.subjectId) return { permitted: false, reason: 'the consent belongs to another patient' };
  if (consent.recipientOrganisationId !== question.recipientOrganisationId)
    return { permitted: false, reason: `the consent does not cover recipient ${question.recipientOrganisationId}` };
  if (!consent.purposes.includes(question.purpose))
    return { permitted: false, reason: `the consent does not cover purpose ${question.purpose}` };
  if (consent.withdrawnAt && consent.withdrawnAt <= question.at) return { permitted: false, reason: 'the consent was withdrawn' };
  if (consent.validFrom > question.at) return { permitted: false, reason: 'the consent is not yet valid' };
  if (consent.validUntil && consent.validUntil <= question.at) return { permitted: false, reason: 'the consent has expired' };
  return { permitted: true };
};
