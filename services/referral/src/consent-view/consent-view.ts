// The referral service's own view of consents and data-sharing agreements, fed by the consent
// service's integration events. Events may arrive out of order: a withdrawal or an agreement's end
// that overtakes its start is kept, never lost, so nothing ever looks active that is not.
import { assertNever, isConsentEvent, type IntegrationEvent } from '@wor/contracts';
import type { AgreementTerms, ConsentChoice } from '@wor/privacy';
import type { Pool, PoolClient } from 'pg';
import { eraseSubject } from '../subject-rights/erase-subject';

type Db = Pick<Pool, 'query'>;

/** Applies one consent event. A withdrawal that overtakes its consent is kept, never lost. */
export const projectConsentEvent = async (event: IntegrationEvent, tx: PoolClient): Promise<void> => {
  if (!isConsentEvent(event)) return; // other producers' events are not this view's concern
  switch (event.type) {
    case 'ConsentGiven':
      await tx.query(
        `INSERT INTO consent_view (consent_id, subject_id, recipient_organisation_id, purposes, valid_from, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (consent_id) DO UPDATE SET subject_id = EXCLUDED.subject_id,
           recipient_organisation_id = EXCLUDED.recipient_organisation_id, purposes = EXCLUDED.purposes,
           valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until`,
        [
          event.data.consentId,
          event.subjectId,
          event.data.recipientOrganisationId,
          event.data.purposes,
          event.data.validFrom,
          event.data.validUntil,
        ],
      );
      await tx.query(
        `UPDATE consent_view SET provision = 'permit', recipient_organisation_ids = ARRAY[recipient_organisation_id],
           data_categories = $2, scoped = true WHERE consent_id = $1`,
        [event.data.consentId, event.data.dataCategories],
      );
      return;
    case 'ConsentRecorded': {
      const d = event.data;
      const single = d.recipientOrganisationIds?.length === 1 ? d.recipientOrganisationIds[0] : null;
      await tx.query(
        `INSERT INTO consent_view (consent_id, subject_id, recipient_organisation_id, purposes, valid_from, valid_until,
           provision, recipient_organisation_ids, data_categories, scoped)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true)
         ON CONFLICT (consent_id) DO UPDATE SET subject_id = EXCLUDED.subject_id,
           recipient_organisation_id = EXCLUDED.recipient_organisation_id, purposes = EXCLUDED.purposes,
           valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until, provision = EXCLUDED.provision,
           recipient_organisation_ids = EXCLUDED.recipient_organisation_ids, data_categories = EXCLUDED.data_categories,
           scoped = true`,
        [
          d.consentId,
          event.subjectId,
          single,
          d.purposes,
          d.validFrom,
          d.validUntil,
          d.provision,
          d.recipientOrganisationIds,
          d.dataCategories,
        ],
      );
      return;
    }
    case 'DataSharingAgreementActivated': {
      const d = event.data;
      await tx.query(
        `INSERT INTO agreement_view (agreement_id, party_ids, purposes, data_categories, valid_from, valid_until, activated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (agreement_id) DO UPDATE SET party_ids = EXCLUDED.party_ids, purposes = EXCLUDED.purposes,
           data_categories = EXCLUDED.data_categories, valid_from = EXCLUDED.valid_from,
           valid_until = EXCLUDED.valid_until, activated_at = EXCLUDED.activated_at`,
        [
          d.agreementId,
          d.parties.map((p) => p.organisationId),
          d.purposes,
          d.dataCategories,
          d.validFrom,
          d.validUntil,
          d.activatedAt,
        ],
      );
      return;
    }
    case 'DataSharingAgreementEnded':
      await tx.query(
        `INSERT INTO agreement_view (agreement_id, ended_at) VALUES ($1, $2)
         ON CONFLICT (agreement_id) DO UPDATE SET ended_at = EXCLUDED.ended_at`,
        [event.data.agreementId, event.data.endedAt],
      );
      return;
    case 'ConsentWithdrawn':
      await tx.query(
        `INSERT INTO consent_view (consent_id, subject_id, withdrawn_at) VALUES ($1, $2, $3)
         ON CONFLICT (consent_id) DO UPDATE SET withdrawn_at = EXCLUDED.withdrawn_at`,
        [event.data.consentId, event.subjectId, event.data.withdrawnAt],
      );
      return;
    case 'SubjectErased':
      // Arrives on the consent topic; the subject-rights feature destroys this service's key.
      await eraseSubject(event, tx);
      return;
    default:
      return assertNever(event);
  }
};

type Row = {
  consent_id: string;
  subject_id: string;
  recipient_organisation_id: string | null;
  purposes: string[] | null;
  valid_from: Date | null;
  valid_until: Date | null;
  withdrawn_at: Date | null;
};

type ChoiceRow = Row & {
  provision: string | null;
  recipient_organisation_ids: string[] | null;
  data_categories: string[] | null;
  scoped: boolean;
};

const toChoice = (row: ChoiceRow): ConsentChoice | undefined => {
  if (!row.scoped || !row.valid_from) return undefined; // only a withdrawal has arrived so far
  return {
    consentId: row.consent_id,
    subjectId: row.subject_id,
    provision: row.provision === 'deny' ? 'deny' : 'permit',
    recipientOrganisationIds: row.recipient_organisation_ids,
    purposes: row.purposes,
    dataCategories: row.data_categories,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    withdrawnAt: row.withdrawn_at,
  };
};

/** Every known choice (consent or objection) of the subject, withdrawn ones included. */
export const findSubjectChoices = async (db: Db, subjectId: string): Promise<ConsentChoice[]> => {
  const { rows } = await db.query<ChoiceRow>('SELECT * FROM consent_view WHERE subject_id = $1', [subjectId]);
  return rows.map(toChoice).filter((c): c is ConsentChoice => c !== undefined);
};

/** One choice by id: undefined when unknown, or while only its withdrawal has arrived. */
export const findChoice = async (db: Db, consentId: string): Promise<ConsentChoice | undefined> => {
  const { rows } = await db.query<ChoiceRow>('SELECT * FROM consent_view WHERE consent_id = $1', [consentId]);
  return rows[0] ? toChoice(rows[0]) : undefined;
};

type AgreementRow = {
  agreement_id: string;
  party_ids: string[] | null;
  purposes: string[] | null;
  data_categories: string[] | null;
  valid_from: Date | null;
  valid_until: Date | null;
  activated_at: Date | null;
  ended_at: Date | null;
};

const toAgreement = (r: AgreementRow): AgreementTerms => ({
  agreementId: r.agreement_id,
  partyIds: r.party_ids ?? [],
  purposes: r.purposes ?? [],
  dataCategories: r.data_categories ?? [],
  validFrom: r.valid_from ?? new Date(8.64e15),
  validUntil: r.valid_until,
  activatedAt: r.activated_at,
  endedAt: r.ended_at,
});

// An end seen before its activation is not an agreement yet.
const AGREEMENTS_BETWEEN = 'party_ids @> ARRAY[$1, $2]::text[] AND activated_at IS NOT NULL';

/** The agreements naming both organisations. */
export const findAgreementsBetween = async (db: Db, a: string, b: string): Promise<AgreementTerms[]> => {
  const { rows } = await db.query<AgreementRow>(`SELECT * FROM agreement_view WHERE ${AGREEMENTS_BETWEEN}`, [a, b]);
  return rows.map(toAgreement);
};

export type AccessFacts = Readonly<{
  agreements: AgreementTerms[];
  /** Every known choice of the subject, as findSubjectChoices. */
  subjectChoices: ConsentChoice[];
  /** The named choice whoever it belongs to, as findChoice (undefined when none was named). */
  named: ConsentChoice | undefined;
}>;

type FactRow = AgreementRow & ChoiceRow & { kind: 'agreement' | 'choice' };

/**
 * What an access decision reads, in one statement (one round trip on the submission's hot path):
 * the agreements between the organisations, the subject's choices and the named consent.
 */
export const findAccessFacts = async (
  db: Db,
  q: { organisationId: string; partnerOrganisationId: string; subjectId: string; consentId: string | null },
): Promise<AccessFacts> => {
  const { rows } = await db.query<FactRow>(
    `SELECT 'agreement' AS kind, agreement_id, party_ids, purposes, data_categories, valid_from, valid_until,
            activated_at, ended_at, NULL::uuid AS consent_id, NULL AS subject_id, NULL AS provision,
            NULL::text[] AS recipient_organisation_ids, NULL::timestamptz AS withdrawn_at, NULL::boolean AS scoped
       FROM agreement_view WHERE ${AGREEMENTS_BETWEEN}
     UNION ALL
     SELECT 'choice', NULL, NULL, purposes, data_categories, valid_from, valid_until, NULL, NULL, consent_id,
            subject_id, provision, recipient_organisation_ids, withdrawn_at, scoped
       FROM consent_view WHERE subject_id = $3 OR consent_id = $4::uuid`,
    [q.organisationId, q.partnerOrganisationId, q.subjectId, q.consentId],
  );
  const choices = rows.filter((r) => r.kind === 'choice');
  const namedRow = q.consentId === null ? undefined : choices.find((r) => r.consent_id === q.consentId);
  return {
    agreements: rows.filter((r) => r.kind === 'agreement').map(toAgreement),
    subjectChoices: choices
      .filter((r) => r.subject_id === q.subjectId)
      .map(toChoice)
      .filter((c): c is ConsentChoice => c !== undefined),
    named: namedRow ? toChoice(namedRow) : undefined,
  };
};
