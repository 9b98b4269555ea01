// The consent schema's history (docs/operations.md#schema-migrations). Applied migrations never change:
// a schema change is a new entry at the end. Migration 1 is the layout before migrations had a record;
// its IF NOT EXISTS makes it a no-op on such a database, which then continues from 2.
import { eventStoreTables, projectorTables } from '@wor/event-store-postgres';
import { messagingTables } from '@wor/messaging';
import { migration, runMigrations, type Migration, type MigrationResult } from '@wor/migrations';
import { subjectKeyTables } from '@wor/privacy';
import type { Pool } from 'pg';

const readModels = `
  -- Consents and objections (consent/).
  CREATE TABLE IF NOT EXISTS consents (
    consent_id uuid PRIMARY KEY,
    subject_id text NOT NULL,
    provision text NOT NULL,
    recipient_organisation_ids text[],
    purposes text[],
    data_categories text[],
    valid_from timestamptz NOT NULL,
    valid_until timestamptz,
    recorded_at timestamptz NOT NULL,
    recorded_by text NOT NULL,
    method text NOT NULL,
    document_reference jsonb,
    withdrawn_at timestamptz,
    withdrawn_by text,
    version int NOT NULL);
  CREATE INDEX IF NOT EXISTS consents_subject ON consents (subject_id);

  -- Data-sharing agreements (agreement/).
  CREATE TABLE IF NOT EXISTS agreements (
    agreement_id uuid PRIMARY KEY,
    status text NOT NULL,
    terms jsonb NOT NULL,
    party_ids text[] NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_until timestamptz,
    drafted_at timestamptz NOT NULL,
    activated_at timestamptz,
    ended_at timestamptz,
    version int NOT NULL);
  CREATE INDEX IF NOT EXISTS agreements_parties ON agreements USING gin (party_ids);`;

const accessLog = `
  -- The NEN 7513 access log (access-log/): a hash chain, append-only but for retention.
  CREATE TABLE IF NOT EXISTS access_log (
    seq bigserial PRIMARY KEY,
    entry_id uuid NOT NULL UNIQUE,
    entry jsonb NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    logged_at timestamptz NOT NULL DEFAULT now());
  CREATE INDEX IF NOT EXISTS access_log_subject ON access_log ((entry->>'subjectId'), (entry->>'accessedAt'));
  CREATE INDEX IF NOT EXISTS access_log_user ON access_log ((entry->>'userId'));
  CREATE INDEX IF NOT EXISTS access_log_accessed ON access_log ((entry->>'accessedAt'));
  -- Where the chain starts after retention removed its oldest entries: the hash of the last one removed.
  CREATE TABLE IF NOT EXISTS access_log_anchor (id int PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash text NOT NULL);
  CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' AND current_setting('wor.access_log_retention', true) = 'on' THEN RETURN OLD; END IF;
    RAISE EXCEPTION 'the access log is append-only';
  END $$;
  DROP TRIGGER IF EXISTS access_log_append_only ON access_log;
  CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();`;

export const consentMigrations: readonly Migration[] = [
  migration(
    'initial-layout',
    eventStoreTables(),
    messagingTables(),
    projectorTables(),
    subjectKeyTables(),
    readModels,
    accessLog,
  ),
];

export const migrateConsent = (pool: Pool, schema: string): Promise<MigrationResult> =>
  runMigrations(pool, schema, consentMigrations);
