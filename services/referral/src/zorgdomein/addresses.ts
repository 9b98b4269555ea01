// Which organisation a ZorgDomein document is for, and which practice sent it. ZorgDomein addresses a
// referral to an organisational unit (a "cluster") and names the sender's practice by AGB code; the
// coordinator keeps the mapping from those identifiers (system|value) to organisations here: their own
// clusters to their organisation and a municipality, and the AGB codes of the practices that refer to them.
import { MunicipalityCode, OrganisationId } from '@wor/contracts';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { Identifier, ReceivedDocument } from './document';

export const AddressKind = z.enum(['recipient', 'practice']);

export const Address = z
  .object({
    system: z.string().trim().min(1).max(200),
    value: z.string().trim().min(1).max(100),
    kind: AddressKind,
    organisationId: OrganisationId,
    /** Required for a recipient: the municipality the cluster's referrals are for. */
    municipality: MunicipalityCode.optional(),
    /** For a practice: the level of detail of the feedback agreed with it (codes, or codes and the coach's message). */
    feedbackDetail: z.enum(['codes', 'codes-and-message']).optional(),
  })
  .strict()
  .refine((a) => a.kind === 'practice' || a.municipality !== undefined, {
    message: 'a recipient cluster names the municipality its referrals are for',
    path: ['municipality'],
  });
export type Address = z.infer<typeof Address>;

/** The address book table (referral migration 2 runs it). */
export const addressTables = `
  CREATE TABLE IF NOT EXISTS zorgdomein_addresses (
    system text NOT NULL,
    value text NOT NULL,
    kind text NOT NULL,
    organisation_id text NOT NULL,
    municipality text,
    feedback_detail text,
    kept_by text NOT NULL,
    kept_by_organisation text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (system, value, kind, kept_by_organisation));
  CREATE UNIQUE INDEX IF NOT EXISTS zorgdomein_addresses_cluster
    ON zorgdomein_addresses (system, value) WHERE kind = 'recipient';
`;

export type AddressBook = Readonly<{
  /** False when the cluster is already another organisation's. */
  put(address: Address, by: { userId: string; organisationId: string }, at: Date): Promise<boolean>;
  list(keptByOrganisation: string): Promise<Address[]>;
  lookup(kind: Address['kind'], ids: readonly Identifier[], keptBy?: string): Promise<Address | undefined>;
}>;

export const createAddressBook = (pool: Pool): AddressBook => ({
  async put(address, by, at) {
    const { rowCount } = await pool.query(
      `INSERT INTO zorgdomein_addresses
         (system, value, kind, organisation_id, municipality, kept_by, kept_by_organisation, updated_at, feedback_detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING`,
      [
        address.system,
        address.value,
        address.kind,
        address.organisationId,
        address.municipality ?? null,
        by.userId,
        by.organisationId,
        at,
        address.feedbackDetail ?? null,
      ],
    );
    if (rowCount) return true;
    // Present already: the keeper may change its own row; another organisation's cluster stays theirs.
    const { rowCount: updated } = await pool.query(
      `UPDATE zorgdomein_addresses SET organisation_id = $4, municipality = $5, kept_by = $6, updated_at = $8,
         feedback_detail = $9
       WHERE system = $1 AND value = $2 AND kind = $3 AND kept_by_organisation = $7`,
      [
        address.system,
        address.value,
        address.kind,
        address.organisationId,
        address.municipality ?? null,
        by.userId,
        by.organisationId,
        at,
        address.feedbackDetail ?? null,
      ],
    );
    return updated === 1;
  },
  async list(keptByOrganisation) {
    const { rows } = await pool.query(
      `SELECT system, value, kind, organisation_id, municipality, feedback_detail FROM zorgdomein_addresses
       WHERE kept_by_organisation = $1 ORDER BY kind, system, value`,
      [keptByOrganisation],
    );
    return rows.map((r) => ({
      system: r.system,
      value: r.value,
      kind: r.kind,
      organisationId: r.organisation_id,
      ...(r.municipality ? { municipality: r.municipality } : {}),
      ...(r.feedback_detail ? { feedbackDetail: r.feedback_detail } : {}),
    }));
  },
  async lookup(kind, ids, keptBy) {
    for (const { system, value } of ids) {
      const { rows } = await pool.query(
        `SELECT system, value, kind, organisation_id, municipality FROM zorgdomein_addresses
         WHERE system = $1 AND value = $2 AND kind = $3 AND ($4::text IS NULL OR kept_by_organisation = $4)`,
        [system, value, kind, keptBy ?? null],
      );
      if (rows[0])
        return {
          system,
          value,
          kind,
          organisationId: rows[0].organisation_id,
          ...(rows[0].municipality ? { municipality: rows[0].municipality } : {}),
        };
    }
    return undefined;
  },
});

/** The feedback detail an organisation agreed with a practice: codes only unless it says otherwise. */
export const feedbackDetailOf = async (pool: Pool, practiceId: string, organisationId: string) => {
  const { rows } = await pool.query(
    `SELECT feedback_detail FROM zorgdomein_addresses
     WHERE kind = 'practice' AND organisation_id = $1 AND kept_by_organisation = $2 AND feedback_detail IS NOT NULL
     LIMIT 1`,
    [practiceId, organisationId],
  );
  return (rows[0]?.feedback_detail ?? 'codes') as 'codes' | 'codes-and-message';
};

export type ResolvedAddresses =
  | { kind: 'found'; organisationId: string; municipality: string; practiceId: string }
  | { kind: 'recipient' | 'sender' };

export const resolveAddresses = async (book: AddressBook, document: ReceivedDocument): Promise<ResolvedAddresses> => {
  const recipient = await book.lookup('recipient', document.recipient);
  if (!recipient?.municipality) return { kind: 'recipient' };
  // The practice as the addressed organisation knows it: no other organisation's mapping counts.
  const practice = await book.lookup('practice', document.senderOrganisation, recipient.organisationId);
  if (!practice) return { kind: 'sender' };
  return {
    kind: 'found',
    organisationId: recipient.organisationId,
    municipality: recipient.municipality,
    practiceId: practice.organisationId,
  };
};
