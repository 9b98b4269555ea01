// The consent service's read model of consents: what the decision endpoint, the privacy officer's
// views, FHIR and the art. 15 report read. Built from the service's own events (createProjector).
import type { RecordedEvent } from '@wor/event-store';
import type { ConsentChoice, SealedPersonalData } from '@wor/privacy';
import type { Pool, PoolClient } from 'pg';
import { upcastTerms, type ConsentEvent } from './consent';

type Db = Pick<Pool, 'query'>;

export const projectConsent = async (recorded: RecordedEvent, tx: PoolClient): Promise<void> => {
  const event = recorded as RecordedEvent<ConsentEvent>;
  switch (event.type) {
    case 'ConsentRecorded':
    case 'ConsentGiven': {
      const { evidence, recordedAt } = event.data;
      const t = event.type === 'ConsentGiven' ? upcastTerms(event.data) : event.data;
      await tx.query(
        `INSERT INTO consents (consent_id, subject_id, provision, recipient_organisation_ids, purposes, data_categories,
           valid_from, valid_until, recorded_at, recorded_by, method, document_reference, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (consent_id) DO NOTHING`,
        [
          t.consentId,
          t.subjectId,
          t.provision,
          t.recipientOrganisationIds,
          t.purposes,
          t.dataCategories,
          t.validFrom,
          t.validUntil,
          recordedAt,
          evidence.recordedBy,
          evidence.method,
          evidence.documentReference ? JSON.stringify(evidence.documentReference) : null,
          event.streamVersion,
        ],
      );
      return;
    }
    case 'ConsentWithdrawn':
      await tx.query(
        'UPDATE consents SET withdrawn_at = $2, withdrawn_by = $3, version = $4 WHERE consent_id = $1 AND version < $4',
        [event.data.consentId, event.data.withdrawnAt, event.data.recordedBy, event.streamVersion],
      );
      return;
    default:
      return; // other aggregates' events
  }
};

export type ConsentRow = {
  consent_id: string;
  subject_id: string;
  provision: 'permit' | 'deny';
  recipient_organisation_ids: string[] | null;
  purposes: string[] | null;
  data_categories: string[] | null;
  valid_from: Date;
  valid_until: Date | null;
  recorded_at: Date;
  recorded_by: string;
  method: string;
  document_reference: SealedPersonalData | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
};

export const toChoice = (r: ConsentRow): ConsentChoice => ({
  consentId: r.consent_id,
  subjectId: r.subject_id,
  provision: r.provision,
  recipientOrganisationIds: r.recipient_organisation_ids,
  purposes: r.purposes,
  dataCategories: r.data_categories,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  withdrawnAt: r.withdrawn_at,
});

export const consentsOfSubject = async (db: Db, subjectId: string): Promise<ConsentRow[]> =>
  (await db.query<ConsentRow>('SELECT * FROM consents WHERE subject_id = $1 ORDER BY recorded_at', [subjectId])).rows;
