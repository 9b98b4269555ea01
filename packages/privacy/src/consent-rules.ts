// The rules that decide whether personal data may be shared, in one pure place: the consent service's
// decision endpoint and every service's local view (e.g. the referral service's) apply the same rules.
//
// Consent: of the patient's choices in effect and covering the question, the most specific wins
// (specificity = how many of recipient, purpose and data category the choice names rather than leaving
// open); an objection (deny) beats a consent (permit) of equal specificity.
// Agreement: sharing between two organisations needs an active data-sharing agreement naming both,
// covering the purpose and data category, at that moment.

export type ConsentProvision = 'permit' | 'deny';

/** One recorded choice of a patient. `null` scope = any (the choice does not name it). */
export type ConsentChoice = Readonly<{
  consentId: string;
  subjectId: string;
  provision: ConsentProvision;
  recipientOrganisationIds: readonly string[] | null;
  purposes: readonly string[] | null;
  dataCategories: readonly string[] | null;
  validFrom: Date;
  validUntil: Date | null;
  withdrawnAt: Date | null;
}>;

export type ConsentQuestion = Readonly<{
  subjectId: string;
  organisationId: string;
  purpose: string;
  dataCategory: string;
  at: Date;
}>;

export type ConsentResolution = Readonly<{ permitted: boolean; consentId: string | null; reason: string }>;

/** Why this choice does not apply to the question, or null when it does. Reasons name rules, never people. */
export const whyNotApplicable = (choice: ConsentChoice, q: ConsentQuestion): string | null => {
  const what = choice.provision === 'permit' ? 'the consent' : 'the objection';
  if (choice.subjectId !== q.subjectId) return `${what} belongs to another patient`;
  if (choice.recipientOrganisationIds && !choice.recipientOrganisationIds.includes(q.organisationId))
    return `${what} does not cover recipient ${q.organisationId}`;
  if (choice.purposes && !choice.purposes.includes(q.purpose)) return `${what} does not cover purpose ${q.purpose}`;
  if (choice.dataCategories && !choice.dataCategories.includes(q.dataCategory))
    return `${what} does not cover data category ${q.dataCategory}`;
  if (choice.withdrawnAt && choice.withdrawnAt <= q.at) return `${what} was withdrawn`;
  if (choice.validFrom > q.at) return `${what} is not yet valid`;
  if (choice.validUntil && choice.validUntil <= q.at) return `${what} has expired`;
  return null;
};

/** 0–3: how many of recipient, purpose and data category the choice names. */
export const specificity = (choice: ConsentChoice): number =>
  (choice.recipientOrganisationIds ? 1 : 0) + (choice.purposes ? 1 : 0) + (choice.dataCategories ? 1 : 0);

/**
 * Resolves the patient's choices for one question. `preferred` is the consent the caller refers to
 * (e.g. a referral's): when it is among the winners it is the one reported, and when nothing applies
 * its own reason is given, which is the most useful to the caller.
 */
export const resolveConsent = (
  choices: readonly ConsentChoice[],
  q: ConsentQuestion,
  preferred: string | null = null,
): ConsentResolution => {
  const applicable = choices.filter((c) => whyNotApplicable(c, q) === null);
  if (applicable.length === 0) {
    const own = preferred ? choices.find((c) => c.consentId === preferred) : undefined;
    const reason = own ? whyNotApplicable(own, q) : null;
    return {
      permitted: false,
      consentId: own?.consentId ?? null,
      reason:
        reason ?? `no consent in effect for ${q.organisationId}, purpose ${q.purpose}, data category ${q.dataCategory}`,
    };
  }
  const top = Math.max(...applicable.map(specificity));
  const winners = applicable.filter((c) => specificity(c) === top);
  const objection = winners.find((c) => c.provision === 'deny');
  if (objection)
    return {
      permitted: false,
      consentId: objection.consentId,
      reason: `the patient objected (objection ${objection.consentId}) and no more specific consent applies`,
    };
  const chosen = winners.find((c) => c.consentId === preferred) ?? winners[0]!;
  return { permitted: true, consentId: chosen.consentId, reason: `consent ${chosen.consentId} applies` };
};

/** An agreement as a deciding party knows it; `activatedAt` null while it is still a draft. */
export type AgreementTerms = Readonly<{
  agreementId: string;
  partyIds: readonly string[];
  purposes: readonly string[];
  dataCategories: readonly string[];
  validFrom: Date;
  validUntil: Date | null;
  activatedAt: Date | null;
  endedAt: Date | null;
}>;

export type AgreementQuestion = Readonly<{
  organisationId: string;
  partnerOrganisationId: string;
  purpose: string;
  dataCategory: string;
  at: Date;
}>;

export type AgreementResolution = Readonly<{ permitted: boolean; agreementId: string | null; reason: string }>;

/** Without a data category: whether the agreement covers the purpose for any of its categories. */
const agreementGap = (
  a: AgreementTerms,
  q: AgreementQuestion | Omit<AgreementQuestion, 'dataCategory'>,
): string | null => {
  if (!a.partyIds.includes(q.organisationId) || !a.partyIds.includes(q.partnerOrganisationId))
    return 'not between these organisations';
  if (!a.purposes.includes(q.purpose)) return `not for purpose ${q.purpose}`;
  if ('dataCategory' in q && !a.dataCategories.includes(q.dataCategory))
    return `not for data category ${q.dataCategory}`;
  if (!a.activatedAt) return 'not active';
  if (a.endedAt && a.endedAt <= q.at) return 'ended';
  if (a.validFrom > q.at) return 'not yet valid';
  if (a.validUntil && a.validUntil <= q.at) return 'expired';
  return null;
};

/** Is there an agreement that lets these two organisations share this data for this purpose now? */
export const resolveAgreement = (agreements: readonly AgreementTerms[], q: AgreementQuestion): AgreementResolution => {
  // Within one organisation nothing is shared with another party: no agreement is needed.
  if (q.organisationId === q.partnerOrganisationId)
    return { permitted: true, agreementId: null, reason: 'no sharing between organisations' };
  const found = agreements.find((a) => agreementGap(a, q) === null);
  if (found)
    return { permitted: true, agreementId: found.agreementId, reason: `agreement ${found.agreementId} applies` };
  const between = agreements.filter((a) => agreementGap(a, q) !== 'not between these organisations');
  const detail = between.length ? `: ${[...new Set(between.map((a) => agreementGap(a, q)))].join(', ')}` : '';
  return {
    permitted: false,
    agreementId: null,
    reason: `no active data-sharing agreement between ${q.organisationId} and ${q.partnerOrganisationId} for purpose ${q.purpose} and data category ${q.dataCategory}${detail}`,
  };
};

/**
 * Who may hear about a patient's consents for sharing between two organisations: the organisations
 * themselves, and only while an active agreement between them covers the purpose. Anyone else asking
 * would learn from the answer whether a person consented (a consent oracle).
 */
export const mayAskAboutConsent = (
  agreements: readonly AgreementTerms[],
  q: Omit<AgreementQuestion, 'dataCategory'> & { callerOrganisationId: string },
): boolean =>
  (q.callerOrganisationId === q.organisationId || q.callerOrganisationId === q.partnerOrganisationId) &&
  q.organisationId !== q.partnerOrganisationId &&
  agreements.some((a) => agreementGap(a, q) === null);
