// Where subscriptions live besides their streams: a view of each subscription (projected from its
// stream) with the delivery bookkeeping of its queue, the queue of notifications (filled by the
// consumer of the service's own referral topic, exactly once per integration event), and every
// delivery attempt. No personal data: organisation ids, Task ids, codes.
import type { IntegrationEvent } from '@wor/contracts';
import type { EventStore, RecordedEvent } from '@wor/event-store';
import { createProjector, type Projector } from '@wor/event-store-postgres';
import type { Logger } from '@wor/service-kit';
import type { Pool, PoolClient } from 'pg';
import { SUBSCRIPTION_STREAM_PREFIX, type SubscriptionEvent, type SubscriptionStatus } from './subscription';
import type { SubscriptionView } from './resources';

/** Referral migration 3. */
export const subscriptionTables = `
  CREATE TABLE IF NOT EXISTS fhir_subscription (
    subscription_id uuid PRIMARY KEY,
    organisation_id text NOT NULL,
    status text NOT NULL,
    handshake_done boolean NOT NULL DEFAULT false,
    request jsonb NOT NULL,
    error text,
    version integer NOT NULL,
    last_changed_at timestamptz NOT NULL,
    -- The queue: the last event number given out, consecutive failures, when to try next, last send.
    events_since_start bigint NOT NULL DEFAULT 0,
    failures integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_sent_at timestamptz);
  CREATE INDEX IF NOT EXISTS fhir_subscription_organisation ON fhir_subscription (organisation_id);
  CREATE TABLE IF NOT EXISTS fhir_subscription_notification (
    subscription_id uuid NOT NULL,
    event_number bigint NOT NULL,
    referral_id uuid NOT NULL,
    event_type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    delivered_at timestamptz,
    PRIMARY KEY (subscription_id, event_number));
  CREATE INDEX IF NOT EXISTS fhir_subscription_notification_pending
    ON fhir_subscription_notification (subscription_id, event_number) WHERE delivered_at IS NULL;
  CREATE TABLE IF NOT EXISTS fhir_subscription_attempt (
    attempt_id bigserial PRIMARY KEY,
    subscription_id uuid NOT NULL,
    kind text NOT NULL,
    event_numbers bigint[] NOT NULL,
    attempted_at timestamptz NOT NULL,
    http_status integer,
    error text);
  CREATE INDEX IF NOT EXISTS fhir_subscription_attempt_subscription
    ON fhir_subscription_attempt (subscription_id, attempt_id);
  -- Which practice requested each referral: the filter of the Task topic (from ReferralRequested).
  CREATE TABLE IF NOT EXISTS fhir_subscription_requester (referral_id uuid PRIMARY KEY, practice_id text NOT NULL);`;

const STATUS_OF: Record<SubscriptionEvent['type'], SubscriptionStatus | null> = {
  SubscriptionRequested: 'requested',
  SubscriptionActivated: 'active',
  SubscriptionErrored: 'error',
  SubscriptionTurnedOff: 'off',
};

export const projectSubscriptions = async (events: readonly RecordedEvent[], tx: PoolClient): Promise<void> => {
  for (const recorded of events) {
    if (!recorded.streamId.startsWith(SUBSCRIPTION_STREAM_PREFIX)) continue;
    const event = recorded as RecordedEvent<SubscriptionEvent>;
    const id = event.streamId.slice(SUBSCRIPTION_STREAM_PREFIX.length);
    const at = recorded.recordedAt;
    switch (event.type) {
      case 'SubscriptionRequested':
        await tx.query(
          `INSERT INTO fhir_subscription (subscription_id, organisation_id, status, request, version, last_changed_at)
           VALUES ($1, $2, 'requested', $3, $4, $5) ON CONFLICT DO NOTHING`,
          [id, event.data.organisationId, JSON.stringify(event.data), event.streamVersion, at],
        );
        break;
      case 'SubscriptionActivated':
      case 'SubscriptionErrored':
      case 'SubscriptionTurnedOff':
        await tx.query(
          `UPDATE fhir_subscription SET status = $2, version = $3, last_changed_at = $4,
             handshake_done = handshake_done OR $5,
             error = CASE $2 WHEN 'error' THEN $6 WHEN 'active' THEN NULL ELSE error END
           WHERE subscription_id = $1`,
          [
            id,
            STATUS_OF[event.type],
            event.streamVersion,
            at,
            event.type === 'SubscriptionActivated',
            event.type === 'SubscriptionErrored' ? event.data.error : null,
          ],
        );
        break;
      default: {
        const _exhaustive: never = event;
        throw new Error(`Unknown event ${(_exhaustive as SubscriptionEvent).type}`);
      }
    }
  }
};

export const createSubscriptionProjector = (options: {
  store: EventStore;
  pool: Pool;
  schema: string;
  logger: Logger;
}): Projector =>
  createProjector({
    name: 'fhir-subscriptions',
    ...options,
    project: projectSubscriptions,
    onError: (error) => options.logger.error({ err: error }, 'fhir subscription projection failed; retrying'),
  });

/**
 * Integration events that create a Task or change its status (the Task topic's triggers), each with its
 * own time field: the Task's meta.lastUpdated, so `_lastUpdated=ge<notification timestamp>` finds the
 * change (the envelope's occurredAt is when it was recorded, a little later).
 */
const TASK_CHANGES: Partial<Record<IntegrationEvent['type'], string>> = {
  ReferralRequested: 'requestedAt',
  ReferralAccepted: 'acceptedAt',
  ReferralRejected: 'rejectedAt',
  FirstContactMade: 'contactedAt',
  ReferralPutOnHold: 'onHoldAt',
  ReferralResumed: 'resumedAt',
  ReferralCompleted: 'completedAt',
  ReferralFailed: 'failedAt',
  ReferralCancelled: 'cancelledAt',
  ReferralEnteredInError: 'markedAt',
};

/**
 * The consumer's handler for a run of events (`handleMany`), in one statement: records who requested
 * each referral of a ReferralRequested, then queues a notification for every subscription (not off) of
 * the requesting practice, numbered per subscription in the run's order after its last event number.
 * The requester is the one recorded, else the run's own ReferralRequested (not visible to the same
 * statement), else the Task index (a referral older than the topic's retention).
 */
export const queueNotificationsMany = async (events: readonly IntegrationEvent[], tx: PoolClient): Promise<void> => {
  const changes = {
    referral: [] as string[],
    type: [] as string[],
    at: [] as string[],
    requester: [] as (string | null)[],
  };
  for (const event of events) {
    const timeField = event.producer === 'referral' ? TASK_CHANGES[event.type] : undefined;
    if (!timeField) continue;
    const data = event.data as { referralId: string; practiceId?: string } & Record<string, unknown>;
    changes.referral.push(data.referralId);
    changes.type.push(event.type);
    changes.at.push(typeof data[timeField] === 'string' ? data[timeField] : event.occurredAt);
    changes.requester.push(event.type === 'ReferralRequested' ? (data.practiceId ?? null) : null);
  }
  if (changes.referral.length === 0) return;
  await tx.query(
    `WITH change AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[]) WITH ORDINALITY
         AS c(referral_id, event_type, occurred_at, requested_by, ord)),
     recorded AS (
       INSERT INTO fhir_subscription_requester (referral_id, practice_id)
       SELECT DISTINCT ON (referral_id) referral_id, requested_by FROM change
       WHERE event_type = 'ReferralRequested' ORDER BY referral_id, ord
       ON CONFLICT DO NOTHING),
     requested AS (
       SELECT c.*, coalesce(
         (SELECT practice_id FROM fhir_subscription_requester r WHERE r.referral_id = c.referral_id),
         (SELECT e.requested_by FROM change e
          WHERE e.referral_id = c.referral_id AND e.event_type = 'ReferralRequested' AND e.ord <= c.ord
          ORDER BY e.ord LIMIT 1),
         (SELECT practice_id FROM fhir_task_index t WHERE t.referral_id = c.referral_id::text)) AS practice_id
       FROM change c),
     target AS (
       SELECT s.subscription_id, r.referral_id, r.event_type, r.occurred_at,
         row_number() OVER (PARTITION BY s.subscription_id ORDER BY r.ord) AS n
       FROM requested r JOIN fhir_subscription s ON s.organisation_id = r.practice_id AND s.status <> 'off'),
     bumped AS (
       UPDATE fhir_subscription s SET events_since_start = s.events_since_start + t.n
       FROM (SELECT subscription_id, max(n) AS n FROM target GROUP BY subscription_id) t
       WHERE s.subscription_id = t.subscription_id AND s.status <> 'off'
       RETURNING s.subscription_id, s.events_since_start - t.n AS base)
     INSERT INTO fhir_subscription_notification (subscription_id, event_number, referral_id, event_type, occurred_at)
     SELECT t.subscription_id, b.base + t.n, t.referral_id, t.event_type, t.occurred_at
     FROM target t JOIN bumped b USING (subscription_id)`,
    [changes.referral, changes.type, changes.at, changes.requester],
  );
};

/** The same for one event (the consumer's `handle`). */
export const queueNotifications = (event: IntegrationEvent, tx: PoolClient): Promise<void> =>
  queueNotificationsMany([event], tx);

type Row = {
  subscription_id: string;
  status: SubscriptionStatus;
  handshake_done: boolean;
  request: SubscriptionView;
  error: string | null;
  version: number;
  last_changed_at: Date;
  events_since_start: string;
};

const viewOf = (row: Row): SubscriptionView & { eventsSinceStart: number } => ({
  ...row.request,
  status: row.status,
  handshakeDone: row.handshake_done,
  error: row.error,
  version: row.version,
  lastChangedAt: row.last_changed_at.toISOString(),
  eventsSinceStart: Number(row.events_since_start),
});

export const findSubscription = async (db: Pick<Pool, 'query'>, id: string, organisationId: string | null) => {
  const { rows } = await db.query<Row>(
    'SELECT * FROM fhir_subscription WHERE subscription_id = $1 AND organisation_id = $2',
    [id, organisationId],
  );
  return rows[0] ? viewOf(rows[0]) : undefined;
};

export const searchSubscriptions = async (db: Pick<Pool, 'query'>, organisationId: string, status?: string[]) => {
  const { rows } = await db.query<Row>(
    `SELECT * FROM fhir_subscription WHERE organisation_id = $1 AND ($2::text[] IS NULL OR status = ANY($2))
     ORDER BY last_changed_at, subscription_id LIMIT 100`,
    [organisationId, status ?? null],
  );
  return rows.map(viewOf);
};

/** The last errors of a subscription's deliveries since its last success (for $status). */
export const errorsSinceLastSuccess = async (db: Pick<Pool, 'query'>, id: string): Promise<string[]> => {
  const { rows } = await db.query<{ kind: string; attempted_at: Date; error: string }>(
    `SELECT kind, attempted_at, error FROM fhir_subscription_attempt
     WHERE subscription_id = $1 AND error IS NOT NULL AND attempt_id > coalesce(
       (SELECT max(attempt_id) FROM fhir_subscription_attempt WHERE subscription_id = $1 AND error IS NULL), 0)
     ORDER BY attempt_id DESC LIMIT 5`,
    [id],
  );
  return rows.map((r) => `${r.kind} at ${r.attempted_at.toISOString()}: ${r.error}`);
};
