// The ZorgDomein inbox: every received referral document, kept once under its never-reused document id
// (so a redelivery answers the same and creates nothing), its personal content sealed with the patient's
// key like all other personal data (erasing the key erases it here too). A document whose patient has
// no usable consent yet is held ("ontvangen, wacht op toestemming"), visible to the coordinator, and
// becomes a referral as soon as the consent view shows the consent; nothing is silently dropped.
import { createHash } from 'node:crypto';
import type { AgeBand } from '@wor/contracts';
import type { SealedPersonalData, SubjectKeyStore } from '@wor/privacy';
import { ageBand, pseudonymise } from '@wor/privacy';
import type { Logger } from '@wor/service-kit';
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';
import type { AccessLog } from '../access-log/access-log';
import type { AccessDecision, AccessQuestion } from '../consent-view';
import type { Actor, Referrals } from '../referral/application';
import { referralIdFor } from '../referral/submission';
import { resolveAddresses, type AddressBook } from './addresses';
import type { ReceivedDocument } from './document';

export type { Facts as InboxFacts, Personal as InboxPersonal };
export type InboxStatus = 'held' | 'referred';
export type InboxEntry = Readonly<{
  documentId: string;
  contentHash: string;
  status: InboxStatus;
  holdReason: string | null;
  referralId: string;
  organisationId: string;
  practiceId: string;
  receivedAt: string;
}>;

/** The inbox table (referral migration 2 runs it). */
export const inboxTables = `
  CREATE TABLE IF NOT EXISTS zorgdomein_inbox (
    document_id text PRIMARY KEY,
    content_hash text NOT NULL,
    status text NOT NULL,
    hold_reason text,
    referral_id uuid NOT NULL,
    organisation_id text NOT NULL,
    practice_id text NOT NULL,
    municipality text NOT NULL,
    subject_id text NOT NULL,
    facts jsonb NOT NULL,
    sealed jsonb NOT NULL,
    received_by text NOT NULL,
    received_at timestamptz NOT NULL);
  CREATE INDEX IF NOT EXISTS zorgdomein_inbox_held ON zorgdomein_inbox (organisation_id) WHERE status = 'held';
  CREATE INDEX IF NOT EXISTS zorgdomein_inbox_referral ON zorgdomein_inbox (referral_id);
`;

/** The hash of a document as sent, in a canonical form (key order does not count). */
export const contentHashOf = (document: unknown): string => {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(document)))
    .digest('hex');
};

type Facts = Readonly<{
  /** The referring practitioner's identifiers (AGB, UZI): the addressee of the feedback. */
  practitioner?: ReceivedDocument['practitioner'];
  reasons: ReceivedDocument['reasons'];
  referrerRole: ReceivedDocument['referrerRole'];
  ageBand: AgeBand;
  sex: ReceivedDocument['patient']['sex'];
}>;
type Personal = Readonly<{
  /** For the feedback document back to the GP, whose system matches the patient by BSN. */
  bsn?: string;
  contact: Record<string, unknown>;
  text: string;
  attachments: ReceivedDocument['attachments'];
}>;

const toEntry = (row: Record<string, unknown>): InboxEntry => ({
  documentId: String(row.document_id),
  contentHash: String(row.content_hash),
  status: row.status as InboxStatus,
  holdReason: (row.hold_reason as string | null) ?? null,
  referralId: String(row.referral_id),
  organisationId: String(row.organisation_id),
  practiceId: String(row.practice_id),
  receivedAt: new Date(row.received_at as string).toISOString(),
});

export type InboxDeps = Readonly<{
  pool: Pool;
  keys: SubjectKeyStore;
  referrals: Referrals;
  accessLog: AccessLog;
  addresses: AddressBook;
  checkAccess: (question: AccessQuestion) => Promise<AccessDecision>;
  pseudonymSecret: string;
  now: () => Date;
  logger: Logger;
  /** How often held documents are tried again (the consent may have arrived). */
  retryMs: number;
}>;

export type ReceiveResult =
  | { kind: 'stored'; entry: InboxEntry; repeated: boolean }
  | { kind: 'conflict' }
  | { kind: 'unknown-address'; which: 'recipient' | 'sender' };

export const createInbox = (deps: InboxDeps) => {
  const { pool, keys, referrals, accessLog, now, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const find = async (documentId: string): Promise<InboxEntry | undefined> => {
    const { rows } = await pool.query('SELECT * FROM zorgdomein_inbox WHERE document_id = $1', [documentId]);
    return rows[0] ? toEntry(rows[0]) : undefined;
  };

  /**
   * Turns a held document into a referral when consent and agreement allow it now; else keeps it held.
   * The row lock makes one caller refer it (the receipt or the retry timer, which skips locked rows).
   */
  const tryRefer = async (documentId: string, skipLocked = false): Promise<InboxEntry> =>
    (await withTransaction(pool, (client) => referIn(client, documentId, skipLocked))) ?? (await find(documentId))!;

  /** In the caller's transaction; undefined when the document is not held (or another caller holds its lock). */
  const referIn = async (
    client: PoolClient,
    documentId: string,
    skipLocked: boolean,
  ): Promise<InboxEntry | undefined> => {
    const { rows } = await client.query(
      `SELECT * FROM zorgdomein_inbox WHERE document_id = $1 AND status = 'held' FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`,
      [documentId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const hold = async (reason: string) => {
      await client.query('UPDATE zorgdomein_inbox SET hold_reason = $2 WHERE document_id = $1', [documentId, reason]);
      return { ...toEntry(row), holdReason: reason };
    };
    const decision = await deps.checkAccess({
      subjectId: row.subject_id,
      consentId: null,
      organisationId: row.organisation_id,
      partnerOrganisationId: row.practice_id,
      purpose: 'wor-referral',
      dataCategory: 'referral-reason',
      at: now(),
    });
    if (!decision.permitted || !decision.consentId)
      return await hold(decision.checks.consent ? 'awaiting a data-sharing agreement' : 'awaiting consent');
    const opened = await keys.decrypt<Personal>(row.sealed as SealedPersonalData);
    // Erased while it waited: nothing is left to refer.
    if (!('contact' in opened)) return await hold('erased');
    const facts = row.facts as Facts;
    const actor: Actor = {
      userId: row.received_by,
      role: 'referral-channel',
      organisationId: row.practice_id,
      metadata: { actor: row.received_by },
    };
    await referrals.submit(
      row.referral_id,
      {
        consentId: decision.consentId,
        subjectId: row.subject_id,
        municipality: row.municipality,
        practiceId: row.practice_id,
        recipientOrganisationId: row.organisation_id,
        referrerRole: facts.referrerRole,
        reasons: [...facts.reasons],
        ageBand: facts.ageBand,
        sex: facts.sex,
      },
      // The letter's text is the referrer's note to the coach; attachments stay in the inbox, sealed.
      { contact: opened.contact, urgencyNote: opened.text.slice(0, 2000) || null },
      actor,
    );
    const { rows: done } = await client.query(
      "UPDATE zorgdomein_inbox SET status = 'referred', hold_reason = NULL WHERE document_id = $1 RETURNING *",
      [documentId],
    );
    return toEntry(done[0]);
  };

  const retryHeld = async (): Promise<void> => {
    const { rows } = await pool.query(
      "SELECT document_id FROM zorgdomein_inbox WHERE status = 'held' AND hold_reason <> 'erased' ORDER BY received_at LIMIT 100",
    );
    for (const { document_id } of rows)
      await tryRefer(document_id, true).catch((error: unknown) =>
        logger.warn({ err: error, documentId: document_id }, 'zorgdomein: held document not referred yet'),
      );
  };

  return {
    find,
    tryRefer,
    retryHeld,

    async receive(document: ReceivedDocument, contentHash: string, channel: Actor): Promise<ReceiveResult> {
      const existing = await find(document.documentId);
      if (existing)
        return existing.contentHash === contentHash
          ? { kind: 'stored', entry: existing, repeated: true }
          : { kind: 'conflict' };
      const address = await resolveAddresses(deps.addresses, document);
      if (address.kind !== 'found') return { kind: 'unknown-address', which: address.kind };
      const { bsn, birthDate, sex, ...contact } = document.patient;
      const subjectId = pseudonymise(bsn, deps.pseudonymSecret);
      const sealed = await keys.encryptFor(subjectId, {
        bsn,
        contact: { ...contact, birthDate },
        text: document.text,
        attachments: document.attachments,
      } satisfies Personal);
      const facts: Facts = {
        practitioner: document.practitioner,
        reasons: document.reasons,
        referrerRole: document.referrerRole,
        ageBand: ageBand(birthDate, now()),
        sex,
      };
      const referralId = referralIdFor('zorgdomein', document.documentId);
      const { rowCount } = await pool.query(
        `INSERT INTO zorgdomein_inbox (document_id, content_hash, status, hold_reason, referral_id, organisation_id,
           practice_id, municipality, subject_id, facts, sealed, received_by, received_at)
         VALUES ($1, $2, 'held', 'awaiting consent', $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (document_id) DO NOTHING`,
        [
          document.documentId,
          contentHash,
          referralId,
          address.organisationId,
          address.practiceId,
          address.municipality,
          subjectId,
          facts,
          sealed,
          channel.userId,
          now(),
        ],
      );
      if (!rowCount) return this.receive(document, contentHash, channel); // a concurrent redelivery won
      // NEN 7513: the receipt of personal data is an access of its own, whatever happens next.
      await accessLog.record(
        {
          subjectId,
          municipality: address.municipality,
          action: 'C',
          userId: channel.userId,
          onBehalfOf: null,
          role: channel.role,
          // The channel delivers for the practice that sent the document.
          organisationId: address.practiceId,
          purpose: 'wor-referral',
          dataCategories: ['contact-details', 'referral-reason'],
          resource: { type: 'zorgdomein-document', id: document.documentId },
          outcome: 'allowed',
          checks: { authorisation: true, consent: false, agreement: false, emergencyAccess: false },
          consentId: null,
          agreementId: null,
          reason: null,
        },
        channel.metadata,
      );
      return { kind: 'stored', entry: await tryRefer(document.documentId), repeated: false };
    },

    async held(organisationId: string): Promise<InboxEntry[]> {
      const { rows } = await pool.query(
        "SELECT * FROM zorgdomein_inbox WHERE organisation_id = $1 AND status = 'held' ORDER BY received_at",
        [organisationId],
      );
      return rows.map(toEntry);
    },

    start(): void {
      timer = setInterval(() => {
        // A failed round (the database away) is logged and tried again; it must never end the process.
        running ??= retryHeld()
          .catch((error: unknown) => logger.warn({ err: error }, 'zorgdomein: held documents not tried'))
          .finally(() => (running = undefined));
      }, deps.retryMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      await running;
    },
  };
};
export type Inbox = ReturnType<typeof createInbox>;
