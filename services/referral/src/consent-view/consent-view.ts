// The referral service's own view of consents, fed by the consent service's integration events.
import type { IntegrationEvent } from '@wor/contracts';
import type { Pool, PoolClient } from 'pg';
import type { ConsentRecord } from './access-decision';

export const migrateConsentView = async (pool: Pool): Promise<void> => {
  await pool.query(`CREATE TABLE IF NOT EXISTS consent_view (
    consent_id uuid PRIMARY KEY,
    subject_id text NOT NULL,
    recipient_organisation_id text,
    purposes text[],
    valid_from timestamptz,
    valid_until timestamptz,
    withdrawn_at timestamptz)`);
};

/** Applies one consent event. A withdrawal that overtakes its consent is kept, never lost. */
export const projectConsentEvent = async (event: IntegrationEvent, tx: PoolClient): Promise<void> => {
  switch (event.type) {
    case 'ConsentGiven':
      await tx.query(
        `INSERT INTO consent_view (consent_id, subject_id, recipient_organisation_id, purposes, valid_from, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (consent_id) DO UPDATE SET subject_id = EXCLUDED.subject_id,
           recipient_organisation_id = EXCLUDED.recipient_organisation_id, purposes = EXCLUDED.purposes,
           valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until`,
        [event.data.consentId, event.subjectId, event.data.recipientOrganisationId, event.data.purposes, event.data.validFrom, event.data.validUntil],
      );
      return;
    case 'ConsentWithdrawn':
      await tx.query(
        `INSERT INTO consent_view (consent_id, subject_id, withdrawn_at) VALUES ($1, $2, $3)
         ON CONFLICT (consent_id) DO UPDATE SET withdrawn_at = EXCLUDED.withdrawn_at`,
        [event.data.consentId, event.subjectId, event.data.withdrawnAt],
      );
      return;
    default:
      return; // other producers' events are not this view's concern
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

/** The consent as this service knows it; undefined while only a withdrawal has arrived. */
export const findConsent = async (pool: Pool, consentId: string): Promise<ConsentRecord | undefined> => {
  const { rows } = await pool.query<Row>('SELECT * FROM consent_view WHERE consent_id = $1', [consentId]);
  const row = rows[0];
  if (!row || !row.recipient_organisation_id || !row.purposes || !row.valid_from) return undefined;
  return {
    consentId: row.consent_id,
    subjectId: row.subject_id,
    recipientOrganisationId: row.recipient_organisation_id,
    purposes: row.purposes as ConsentRecord['purposes'],
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    withdrawnAt: row.withdrawn_at,
  };
};
