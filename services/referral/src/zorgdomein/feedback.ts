// Terugkoppeling back to the GP through the channel: every FeedbackSent of a referral that came in by
// ZorgDomein becomes a FHIR document (Composition + Communication, addressed to the referring practitioner)
// that an outbound connector POSTs to the configured endpoint. The event store is the outbox: a projector
// queues one delivery per FeedbackSent (exactly once), a sender delivers at least once with backoff, and the
// document id is stable per delivery so the receiver can drop a repeat. The coach's message travels only
// when the practice agreed to messages; the coded outcome (ICPC Z68 for the GP record) always does.
import type { EventStore, RecordedEvent } from '@wor/event-store';
import { createProjector, type Projector } from '@wor/event-store-postgres';
import type { SealedPersonalData, SubjectKeyStore } from '@wor/privacy';
import type { Logger } from '@wor/service-kit';
import type { Pool, PoolClient } from 'pg';
import type { AccessLog } from '../access-log/access-log';
import type { AccessDecision, AccessQuestion } from '../consent-view';
import { SYSTEMS } from '../fhir/mapping';
import type { ReferralEvent } from '../referral/events';
import { uuidFrom } from '../referral/submission';
import { NAMING } from './document';
import type { InboxFacts, InboxPersonal } from './inbox';

/** ICPC-1 as Dutch GP systems code it; Z68 is how one zorggroep registers a WoR referral (docs/glossary.md). */
export const ICPC = { system: 'http://hl7.org/fhir/sid/icpc-1-nl', code: 'Z68', display: 'Welzijn op Recept' };
export type FeedbackDetail = 'codes' | 'codes-and-message';

/** The outbound feedback table (referral migration 2 runs it). */
export const feedbackOutboxTables = `
  CREATE TABLE IF NOT EXISTS zorgdomein_outbound (
    referral_id uuid NOT NULL,
    event_version integer NOT NULL,
    document_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error text,
    delivered_at timestamptz,
    PRIMARY KEY (referral_id, event_version));
  CREATE INDEX IF NOT EXISTS zorgdomein_outbound_due ON zorgdomein_outbound (next_attempt_at) WHERE status = 'pending';
`;

/** A stable UUID per delivery: a redelivered document is the same document. */
const documentIdOf = (referralId: string, version: number): string =>
  uuidFrom(`zorgdomein-feedback\n${referralId}\n${version}`, '5');

/** Queues a delivery for each FeedbackSent of a referral that came in through the channel. */
export const createFeedbackQueue = (options: {
  store: EventStore;
  pool: Pool;
  schema: string;
  logger: Logger;
}): Projector =>
  createProjector({
    name: 'zorgdomein-feedback',
    store: options.store,
    pool: options.pool,
    schema: options.schema,
    project: async (events: readonly RecordedEvent[], tx: PoolClient) => {
      for (const recorded of events) {
        if (!recorded.streamId.startsWith('referral-') || recorded.type !== 'FeedbackSent') continue;
        const referralId = recorded.streamId.slice('referral-'.length);
        await tx.query(
          `INSERT INTO zorgdomein_outbound (referral_id, event_version, document_id, next_attempt_at)
           SELECT $1, $2, $3, now() WHERE EXISTS (SELECT 1 FROM zorgdomein_inbox WHERE referral_id = $1)
           ON CONFLICT DO NOTHING`,
          [referralId, recorded.streamVersion, documentIdOf(referralId, recorded.streamVersion)],
        );
      }
    },
    onError: (error) => options.logger.error({ err: error }, 'zorgdomein feedback queue failed; retrying'),
  });

type Feedback = Extract<ReferralEvent, { type: 'FeedbackSent' }>['data'];

const MOMENT_TEXT: Record<Feedback['moment'], string> = {
  acceptance: 'De verwijzing is geaccepteerd door de welzijnsorganisatie.',
  rejection: 'De verwijzing is afgewezen door de welzijnsorganisatie.',
  intake: 'Het intakegesprek met de welzijnscoach heeft plaatsgevonden.',
  closure: 'Het traject bij de welzijnscoach is afgesloten.',
  'contact-request':
    'De patiënt wil alleen via de huisarts benaderd worden. Wilt u de patiënt met de welzijnscoach in contact brengen?',
};

/** The feedback document: a FHIR R4 document Bundle addressed to the referring practitioner. */
export const feedbackDocument = (input: {
  documentId: string;
  referralId: string;
  feedback: Feedback;
  organisationId: string;
  practitioner: readonly { system: string; value: string }[];
  patient: InboxPersonal;
  message: string | null;
  at: Date;
}) => {
  const { documentId, referralId, feedback, patient } = input;
  const contact = patient.contact as { name?: { given?: string; family?: string }; birthDate?: string };
  const url = (n: number) => `urn:uuid:${documentId.slice(0, 24)}${String(n).padStart(12, '0')}`;
  const text = [MOMENT_TEXT[feedback.moment], input.message].filter(Boolean).join('\n');
  const div = (t: string) =>
    `<div xmlns="http://www.w3.org/1999/xhtml">${t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br/>')}</div>`;
  const codes = [
    { system: SYSTEMS.step, code: feedback.summary.status },
    ...(feedback.summary.outcome ? [{ system: SYSTEMS.completionOutcome, code: feedback.summary.outcome }] : []),
  ];
  return {
    resourceType: 'Bundle',
    id: documentId,
    type: 'document',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${documentId}` },
    timestamp: input.at.toISOString(),
    entry: [
      {
        fullUrl: url(1),
        resource: {
          resourceType: 'Composition',
          status: 'final',
          type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
          subject: { reference: url(2) },
          date: feedback.sentAt,
          author: [{ reference: url(3) }],
          title: 'Terugkoppeling Welzijn op Recept',
          section: [
            {
              title: 'Terugkoppeling',
              code: { coding: [ICPC] },
              text: { status: 'generated', div: div(text) },
              entry: [{ reference: url(4) }],
            },
          ],
        },
      },
      {
        fullUrl: url(2),
        resource: {
          resourceType: 'Patient',
          ...(patient.bsn ? { identifier: [{ system: NAMING.bsn, value: patient.bsn }] } : {}),
          ...(contact.name ? { name: [{ family: contact.name.family, given: [contact.name.given] }] } : {}),
          ...(contact.birthDate ? { birthDate: contact.birthDate } : {}),
        },
      },
      {
        fullUrl: url(3),
        resource: {
          resourceType: 'Organization',
          identifier: [{ system: SYSTEMS.organisation, value: input.organisationId }],
        },
      },
      {
        fullUrl: url(4),
        resource: {
          resourceType: 'Communication',
          status: 'completed',
          category: [{ coding: [{ system: SYSTEMS.feedbackMoment, code: feedback.moment }] }],
          subject: { reference: url(2) },
          // The referral is the ServiceRequest of the FHIR API; named by identifier, a document stays self-contained.
          about: [
            { type: 'ServiceRequest', identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${referralId}` } },
          ],
          sent: feedback.sentAt,
          ...(input.practitioner.length ? { recipient: [{ identifier: input.practitioner[0] }] } : {}),
          sender: { reference: url(3) },
          reasonCode: [{ coding: [ICPC] }, { coding: codes }],
          payload: [{ contentString: text }],
        },
      },
    ],
  };
};

export type FeedbackSenderDeps = Readonly<{
  pool: Pool;
  store: EventStore;
  keys: SubjectKeyStore;
  accessLog: AccessLog;
  checkAccess: (question: AccessQuestion) => Promise<AccessDecision>;
  /** The GP side's endpoint; without one, deliveries wait (nothing is lost). */
  endpoint: string | undefined;
  token: string | undefined;
  detailFor: (practiceId: string, organisationId: string) => Promise<FeedbackDetail>;
  now: () => Date;
  logger: Logger;
  intervalMs: number;
  /** Backoff after a failed attempt: base × 2^attempts, at most the cap. */
  backoff?: { baseMs: number; capMs: number };
}>;

export const createFeedbackSender = (deps: FeedbackSenderDeps) => {
  const { pool, keys, now, logger } = deps;
  const backoff = deps.backoff ?? { baseMs: 1000, capMs: 3_600_000 };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const deliver = async (row: {
    referral_id: string;
    event_version: number;
    document_id: string;
    attempts: number;
  }) => {
    const stream = await deps.store.readStream<ReferralEvent>(`referral-${row.referral_id}`);
    const event = stream.events[row.event_version];
    const inbox = (await pool.query('SELECT * FROM zorgdomein_inbox WHERE referral_id = $1', [row.referral_id]))
      .rows[0];
    if (event?.type !== 'FeedbackSent' || !inbox) return { done: true, error: 'nothing to deliver' };
    const feedback = event.data;
    const decision = await deps.checkAccess({
      subjectId: inbox.subject_id,
      consentId: null,
      organisationId: inbox.organisation_id,
      partnerOrganisationId: inbox.practice_id,
      purpose: 'wor-feedback',
      dataCategory: 'outcome',
      at: now(),
    });
    const entry = (outcome: 'allowed' | 'denied', reason: string | null) =>
      deps.accessLog.record({
        subjectId: inbox.subject_id,
        municipality: inbox.municipality,
        action: 'R',
        userId: 'zorgdomein-feedback',
        onBehalfOf: null,
        role: 'referral-channel',
        organisationId: inbox.organisation_id,
        purpose: 'wor-feedback',
        dataCategories: ['contact-details', 'outcome'],
        resource: { type: 'feedback-document', id: row.document_id },
        outcome,
        checks: {
          authorisation: true,
          consent: decision.checks.consent,
          agreement: decision.checks.agreement,
          emergencyAccess: false,
        },
        consentId: decision.consentId,
        agreementId: decision.agreementId,
        reason,
      });
    if (!decision.permitted) {
      await entry('denied', decision.reason);
      return { done: true, error: `not shared: ${decision.reason ?? 'no consent'}` };
    }
    const patient = (await keys.decrypt<InboxPersonal>(inbox.sealed as SealedPersonalData)) as InboxPersonal;
    if (!('contact' in patient)) return { done: true, error: 'erased' };
    const detail = await deps.detailFor(inbox.practice_id, inbox.organisation_id);
    const message =
      detail === 'codes-and-message' && feedback.message
        ? (((await keys.decrypt(feedback.message)) as { text?: string }).text ?? null)
        : null;
    const facts = inbox.facts as InboxFacts;
    const document = feedbackDocument({
      documentId: row.document_id,
      referralId: row.referral_id,
      feedback,
      organisationId: inbox.organisation_id,
      practitioner: facts.practitioner ?? [],
      patient,
      message,
      at: now(),
    });
    await entry('allowed', null);
    const response = await fetch(deps.endpoint!, {
      method: 'POST',
      headers: {
        'content-type': 'application/fhir+json',
        prefer: 'return=minimal',
        ...(deps.token ? { authorization: `Bearer ${deps.token}` } : {}),
      },
      body: JSON.stringify(document),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? { done: true, error: null } : { done: false, error: `HTTP ${response.status}` };
  };

  const runOnce = async (): Promise<void> => {
    if (!deps.endpoint) return;
    const { rows } = await pool.query(
      `SELECT referral_id, event_version, document_id, attempts FROM zorgdomein_outbound
       WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT 20`,
      [now()],
    );
    for (const row of rows) {
      let result: { done: boolean; error: string | null };
      try {
        result = await deliver(row);
      } catch (error) {
        result = { done: false, error: error instanceof Error ? error.name : 'error' };
      }
      const attempts = row.attempts + 1;
      if (result.done)
        await pool.query(
          `UPDATE zorgdomein_outbound SET status = $3, attempts = $4, last_error = $5, delivered_at = $6
           WHERE referral_id = $1 AND event_version = $2`,
          [
            row.referral_id,
            row.event_version,
            result.error ? 'refused' : 'delivered',
            attempts,
            result.error,
            result.error ? null : now(),
          ],
        );
      else {
        const wait = Math.min(backoff.capMs, backoff.baseMs * 2 ** row.attempts);
        await pool.query(
          `UPDATE zorgdomein_outbound SET attempts = $3, last_error = $4, next_attempt_at = $5
           WHERE referral_id = $1 AND event_version = $2`,
          [row.referral_id, row.event_version, attempts, result.error, new Date(now().getTime() + wait)],
        );
        logger.warn({ attempts, error: result.error }, 'zorgdomein feedback not delivered; retrying later');
      }
    }
  };

  return {
    runOnce,
    start(): void {
      timer = setInterval(() => {
        running ??= runOnce()
          .catch((error: unknown) => logger.warn({ err: error }, 'zorgdomein feedback sender failed'))
          .finally(() => (running = undefined));
      }, deps.intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      await running;
    },
  };
};
