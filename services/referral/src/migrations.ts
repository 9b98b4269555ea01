// The referral schema's history (docs/operations.md#schema-migrations). Applied migrations never change:
// a schema change is a new entry at the end. Migration 1 is the layout before migrations had a record;
// its IF NOT EXISTS makes it a no-op on such a database, which then continues from 2.
import { eventStoreTables, projectorTables } from '@wor/event-store-postgres';
import { messagingTables } from '@wor/messaging';
import { migration, runMigrations, type Migration, type MigrationResult } from '@wor/migrations';
import { subjectKeyTables } from '@wor/privacy';
import { idempotencyTables } from '@wor/service-kit';
import type { Pool } from 'pg';
import { capacityTables } from './capacity';
import { subscriptionTables } from './fhir/subscriptions';
import { addressTables, feedbackOutboxTables, inboxTables } from './zorgdomein';

const views = `
  -- Local view of consent (consent-view/): decides on its own while the consent service is down.
  -- ConsentRecorded: objections and open scopes (NULL = any). ConsentGiven.v1 rows are permits to one recipient.
  CREATE TABLE IF NOT EXISTS consent_view (
    consent_id uuid PRIMARY KEY,
    subject_id text NOT NULL,
    recipient_organisation_id text,
    purposes text[],
    valid_from timestamptz,
    valid_until timestamptz,
    withdrawn_at timestamptz,
    provision text,
    recipient_organisation_ids text[],
    data_categories text[],
    scoped boolean NOT NULL DEFAULT false);
  CREATE INDEX IF NOT EXISTS consent_view_subject ON consent_view (subject_id);
  CREATE TABLE IF NOT EXISTS agreement_view (
    agreement_id uuid PRIMARY KEY,
    party_ids text[],
    purposes text[],
    data_categories text[],
    valid_from timestamptz,
    valid_until timestamptz,
    activated_at timestamptz,
    ended_at timestamptz);
  CREATE TABLE IF NOT EXISTS erased_subjects (subject_id text PRIMARY KEY, erased_at timestamptz NOT NULL);

  -- Local view of the social map (social-map-view/); name/organization_id are NULL while only a later
  -- event (update, retirement) has arrived.
  CREATE TABLE IF NOT EXISTS social_map_service_view (
    service_id text PRIMARY KEY,
    organization_id text,
    name text,
    published_at timestamptz,
    status text,
    status_at timestamptz,
    retired_at timestamptz);

  -- Work queues (work-queues/).
  CREATE TABLE IF NOT EXISTS work_queue (
    referral_id text PRIMARY KEY,
    organisation_id text NOT NULL,
    practice_id text NOT NULL,
    status text NOT NULL,
    reasons text[] NOT NULL,
    age_band text NOT NULL,
    sex text NOT NULL,
    coach_id text,
    requested_at timestamptz NOT NULL,
    first_contact_deadline timestamptz NOT NULL,
    first_contact_at timestamptz,
    version integer NOT NULL);
  CREATE INDEX IF NOT EXISTS work_queue_organisation ON work_queue (organisation_id, requested_at);
  CREATE INDEX IF NOT EXISTS work_queue_coach ON work_queue (coach_id, requested_at) WHERE coach_id IS NOT NULL;

  -- FHIR Task search (fhir/).
  CREATE TABLE IF NOT EXISTS fhir_task_index (
    referral_id text PRIMARY KEY,
    practice_id text NOT NULL,
    organisation_id text NOT NULL,
    status text NOT NULL,
    authored_on timestamptz NOT NULL,
    version integer NOT NULL);
  CREATE INDEX IF NOT EXISTS fhir_task_index_practice ON fhir_task_index (practice_id, authored_on);
  CREATE INDEX IF NOT EXISTS fhir_task_index_organisation ON fhir_task_index (organisation_id, authored_on);

  -- Subject rights (subject-rights/): access entries hold codes and pseudonymous ids only, so the row
  -- keeps the entry itself.
  CREATE TABLE IF NOT EXISTS subject_referrals (
    subject_id text NOT NULL, referral_id text NOT NULL, PRIMARY KEY (subject_id, referral_id));
  CREATE TABLE IF NOT EXISTS subject_access_log (
    entry_id text PRIMARY KEY, subject_id text NOT NULL, accessed_at timestamptz NOT NULL, entry jsonb NOT NULL);
  CREATE INDEX IF NOT EXISTS subject_access_log_subject ON subject_access_log (subject_id, accessed_at);`;

export const referralMigrations: readonly Migration[] = [
  migration(
    'initial-layout',
    eventStoreTables(),
    messagingTables(),
    subjectKeyTables(),
    projectorTables(),
    idempotencyTables,
    views,
  ),
  // The ZorgDomein channel (inbox, address book, outbound feedback) and coach capacity (docs/zorgdomein.md).
  migration('zorgdomein-channel-and-capacity', inboxTables, addressTables, feedbackOutboxTables, capacityTables),
  // FHIR search by patient, _lastUpdated and output (fhir/task-index.ts): a table of its own, so the rows
  // of fhir_task_index stay as they are; its projector starts at the beginning of the store (backfill).
  migration(
    'fhir-task-search',
    `CREATE TABLE IF NOT EXISTS fhir_task_search (
       referral_id text PRIMARY KEY,
       subject_id text NOT NULL,
       last_updated timestamptz NOT NULL,
       outputs text[] NOT NULL DEFAULT '{}',
       version integer NOT NULL);
     CREATE INDEX IF NOT EXISTS fhir_task_search_subject ON fhir_task_search (subject_id);`,
  ),
  // FHIR Subscriptions (R4 backport): the subscriptions' view and queues, and every delivery attempt (docs/fhir.md).
  migration('fhir-subscriptions', subscriptionTables),
];

export const migrateReferral = (pool: Pool, schema: string): Promise<MigrationResult> =>
  runMigrations(pool, schema, referralMigrations);
