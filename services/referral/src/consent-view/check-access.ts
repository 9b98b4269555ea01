// The referral service's access decision, made locally from its own view of the consent service's
// events (so it keeps deciding while that service is down), with the same rules as the consent service.
import type { ConsentPurpose, DataCategory } from '@wor/contracts';
import { resolveAgreement, resolveConsent } from '@wor/privacy';
import type { Pool, PoolClient } from 'pg';
import { findAccessFacts } from './consent-view';

export type AccessQuestion = Readonly<{
  subjectId: string;
  /** The consent the caller acts under (e.g. a referral's), or null to decide from all of the subject's choices. */
  consentId: string | null;
  /** Who processes the data, e.g. the welfare organisation. */
  organisationId: string;
  /** The other party, e.g. the referring practice. */
  partnerOrganisationId: string;
  purpose: ConsentPurpose;
  dataCategory: DataCategory;
  at: Date;
}>;

export type AccessDecision = Readonly<{
  permitted: boolean;
  /** Why access is denied: names the rule, never the person. Null when permitted. */
  reason: string | null;
  consentId: string | null;
  agreementId: string | null;
  checks: { consent: boolean; agreement: boolean };
}>;

/** May the organisation process this data category of the subject for the purpose, now? With the reason. */
export const checkAccess = async (db: Pool | PoolClient, question: AccessQuestion): Promise<AccessDecision> => {
  const { subjectId, consentId, organisationId, partnerOrganisationId, purpose, dataCategory, at } = question;
  const facts = await findAccessFacts(db, { organisationId, partnerOrganisationId, subjectId, consentId });
  const agreement = resolveAgreement(facts.agreements, {
    organisationId,
    partnerOrganisationId,
    purpose,
    dataCategory,
    at,
  });
  const denied = (reason: string, consent = false, id: string | null = consentId): AccessDecision => ({
    permitted: false,
    reason,
    consentId: id,
    agreementId: agreement.agreementId,
    checks: { consent, agreement: agreement.permitted },
  });

  if (consentId) {
    const referred = facts.named;
    if (!referred) return denied('the consent is unknown to the referral service');
    if (referred.subjectId !== subjectId) return denied('the consent belongs to another patient');
  }
  const consent = resolveConsent(
    facts.subjectChoices,
    { subjectId, organisationId, purpose, dataCategory, at },
    consentId,
  );
  if (!consent.permitted) return denied(consent.reason, false, consent.consentId ?? consentId);
  // Sharing needs an active data-sharing agreement between the organisations as well as consent.
  if (!agreement.permitted) return denied(agreement.reason, true, consent.consentId);
  return {
    permitted: true,
    reason: null,
    consentId: consent.consentId,
    agreementId: agreement.agreementId,
    checks: { consent: true, agreement: agreement.permitted },
  };
};
