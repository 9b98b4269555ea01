// "May organisation X process data category C of subject S for purpose P now?" — answered from this
// service's own read models with the shared rules (@wor/privacy), so every service decides alike.
import type { ConsentPurpose, DataCategory } from '@wor/contracts';
import { resolveAgreement, resolveConsent } from '@wor/privacy';
import type { Pool } from 'pg';
import { agreementsBetween, toActiveTerms } from '../agreement/projection';
import { consentsOfSubject, toChoice } from '../consent/projection';

export type DecisionQuestion = Readonly<{
  subjectId: string;
  organisationId: string;
  partnerOrganisationId: string;
  purpose: ConsentPurpose;
  dataCategory: DataCategory;
  at: Date;
  consentId?: string | null;
}>;

export type Decision = Readonly<{
  permitted: boolean;
  reason: string;
  consentId: string | null;
  agreementId: string | null;
  checks: { consent: boolean; agreement: boolean };
}>;

export const decideAccess = async (db: Pick<Pool, 'query'>, q: DecisionQuestion): Promise<Decision> => {
  const choices = (await consentsOfSubject(db, q.subjectId)).map(toChoice);
  const consent = resolveConsent(choices, q, q.consentId ?? null);
  const agreement = resolveAgreement(
    (await agreementsBetween(db, q.organisationId, q.partnerOrganisationId)).map(toActiveTerms),
    q,
  );
  const permitted = consent.permitted && agreement.permitted;
  return {
    permitted,
    reason: !consent.permitted
      ? consent.reason
      : !agreement.permitted
        ? agreement.reason
        : `${consent.reason}; ${agreement.reason}`,
    consentId: consent.consentId,
    agreementId: agreement.agreementId,
    checks: { consent: consent.permitted, agreement: agreement.permitted },
  };
};
