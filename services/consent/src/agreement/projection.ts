// The read model of agreements: the registry privacy officers search, and the agreement check's input.
import type { RecordedEvent } from '@wor/event-store';
import type { AgreementTerms as ActiveTerms } from '@wor/privacy';
import type { Pool, PoolClient } from 'pg';
import type { AgreementEvent, AgreementTerms } from './agreement';

type Db = Pick<Pool, 'query'>;

export const projectAgreement = async (recorded: RecordedEvent, tx: PoolClient): Promise<void> => {
  const event = recorded as RecordedEvent<AgreementEvent>;
  switch (event.type) {
    case 'AgreementDrafted': {
      const { draftedBy: _by, draftedAt, ...terms } = event.data;
      await tx.query(
        `INSERT INTO agreements (agreement_id, status, terms, party_ids, valid_from, valid_until, drafted_at, version)
         VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7) ON CONFLICT (agreement_id) DO NOTHING`,
        [
          terms.agreementId,
          JSON.stringify(terms),
          terms.parties.map((p) => p.organisationId),
          terms.validFrom,
          terms.validUntil,
          draftedAt,
          event.streamVersion,
        ],
      );
      return;
    }
    case 'AgreementActivated':
      await tx.query(
        `UPDATE agreements SET status = 'active', activated_at = $2, version = $3 WHERE agreement_id = $1 AND version < $3`,
        [event.data.agreementId, event.data.activatedAt, event.streamVersion],
      );
      return;
    case 'AgreementTerminated':
      await tx.query(
        `UPDATE agreements SET status = 'terminated', ended_at = $2, version = $3 WHERE agreement_id = $1 AND version < $3`,
        [event.data.agreementId, event.data.terminatedAt, event.streamVersion],
      );
      return;
    case 'AgreementExpired':
      await tx.query(
        `UPDATE agreements SET status = 'expired', ended_at = $2, version = $3 WHERE agreement_id = $1 AND version < $3`,
        [event.data.agreementId, event.data.expiredAt, event.streamVersion],
      );
      return;
    default:
      return;
  }
};

export type AgreementRow = {
  agreement_id: string;
  status: 'draft' | 'active' | 'expired' | 'terminated';
  terms: AgreementTerms;
  party_ids: string[];
  valid_from: Date;
  valid_until: Date | null;
  drafted_at: Date;
  activated_at: Date | null;
  ended_at: Date | null;
};

export const agreementView = (r: AgreementRow) => ({
  ...r.terms,
  status: r.status,
  activatedAt: r.activated_at?.toISOString() ?? null,
  endedAt: r.ended_at?.toISOString() ?? null,
});

export const toActiveTerms = (r: AgreementRow): ActiveTerms => ({
  agreementId: r.agreement_id,
  partyIds: r.party_ids,
  purposes: r.terms.purposes,
  dataCategories: r.terms.dataCategories,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  activatedAt: r.activated_at,
  endedAt: r.ended_at,
});

export const agreementsBetween = async (db: Db, a: string, b: string): Promise<AgreementRow[]> =>
  (await db.query<AgreementRow>('SELECT * FROM agreements WHERE party_ids @> ARRAY[$1, $2]::text[]', [a, b])).rows;
