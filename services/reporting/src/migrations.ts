// The reporting schema's history (docs/operations.md#schema-migrations). Applied migrations never change:
// a schema change is a new entry at the end. Migration 1 is the layout before migrations had a record;
// its IF NOT EXISTS makes it a no-op on such a database, which then continues from 2.
import { messagingTables } from '@wor/messaging';
import { migration, runMigrations, type Migration, type MigrationResult } from '@wor/migrations';
import type { Pool } from 'pg';

const receivedEvents = `
  -- Reporting's own log of every integration event it received (received-events/).
  CREATE TABLE IF NOT EXISTS received_events (
    position bigint PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    type text NOT NULL,
    producer text NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    payload jsonb NOT NULL);`;

const readModels = `
  -- Monitoring read models (monitoring/), rebuilt from received_events.
  CREATE TABLE IF NOT EXISTS referral_facts (
    referral_id uuid PRIMARY KEY,
    municipality text, practice_id text, recipient_organisation_id text, referrer_role text,
    reasons text[], age_band text, sex text, consent_id uuid, requested_at timestamptz, requested_pos bigint,
    accepted_at timestamptz, accepted_pos bigint,
    rejected_at timestamptz, rejection_reason text, rejected_pos bigint,
    coach_assigned_at timestamptz, coach_assigned_pos bigint,
    first_contact_at timestamptz, first_contact_pos bigint,
    intake_on date, intake_health numeric[], intake_pos bigint,
    on_hold_at timestamptz, on_hold_pos bigint,
    closed_as text, closed_at timestamptz, closure_reason text, coach_hours numeric,
    closure_health numeric[], gas_scores integer[], closed_pos bigint,
    feedback_at timestamptz, feedback_moment text, feedback_pos bigint,
    error_at timestamptz, error_pos bigint);
  CREATE INDEX IF NOT EXISTS referral_facts_requested ON referral_facts (municipality, requested_at);
  CREATE INDEX IF NOT EXISTS referral_facts_closed ON referral_facts (municipality, closed_at);
  -- Steps still waiting for their request (data-quality note).
  CREATE INDEX IF NOT EXISTS referral_facts_requested_pos ON referral_facts (requested_pos);
  -- Consent events name no municipality; a consent counts where a referral used it.
  CREATE INDEX IF NOT EXISTS referral_facts_consent ON referral_facts (consent_id);
  CREATE TABLE IF NOT EXISTS activity_links (
    position bigint PRIMARY KEY, referral_id uuid NOT NULL, service_id uuid NOT NULL, linked_at timestamptz NOT NULL);
  CREATE INDEX IF NOT EXISTS activity_links_referral ON activity_links (referral_id);
  CREATE TABLE IF NOT EXISTS consent_facts (
    consent_id uuid PRIMARY KEY, municipality text,
    given_at timestamptz, given_pos bigint, withdrawn_at timestamptz, withdrawn_pos bigint);
  CREATE TABLE IF NOT EXISTS access_denials (
    position bigint PRIMARY KEY, municipality text, accessed_at timestamptz NOT NULL,
    role text NOT NULL, action text NOT NULL, purpose text NOT NULL);
  CREATE TABLE IF NOT EXISTS social_map_services (
    service_id uuid PRIMARY KEY, name text, published_at timestamptz, published_pos bigint,
    retired_at timestamptz, retired_pos bigint);
  CREATE TABLE IF NOT EXISTS practice_list_sizes (
    position bigint PRIMARY KEY, municipality text NOT NULL, practice_id text NOT NULL,
    registered_patients integer NOT NULL, set_at timestamptz NOT NULL);
  CREATE INDEX IF NOT EXISTS practice_list_sizes_practice ON practice_list_sizes (municipality, practice_id, position);`;

const capacityPlans = `
  -- The welfare organisations' coach-hour plans per month (CapacityPlanned), one row per plan: the latest counts.
  CREATE TABLE IF NOT EXISTS capacity_plans (
    position bigint PRIMARY KEY, organisation_id text NOT NULL, month text NOT NULL,
    coach_hours numeric NOT NULL, expected_hours_per_referral numeric NOT NULL, planned_at timestamptz NOT NULL);
  CREATE INDEX IF NOT EXISTS capacity_plans_month ON capacity_plans (month, organisation_id, position);`;

const stepsBeforeRequest = `
  -- The data-quality note counts steps recorded before their request in every municipality; only such
  -- rows can qualify, and they are few, so a partial index finds them without scanning the facts.
  CREATE INDEX IF NOT EXISTS referral_facts_step_before_request ON referral_facts (requested_pos)
    WHERE (requested_pos IS NULL OR LEAST(accepted_pos, rejected_pos, coach_assigned_pos, first_contact_pos,
      intake_pos, on_hold_pos, closed_pos, feedback_pos, error_pos) < requested_pos);`;

const extractDerivedColumns = `
  -- What the extract derives from a referral's own columns, stored once when the row is written: the
  -- local calendar days from the request to acceptance, first contact and intake, and the Positieve
  -- Gezondheid change per dimension (closure minus intake). Computing them in every extract (a time
  -- zone conversion per date, two array reads and a numeric subtraction per dimension, for every
  -- referral) took more than half of a year extract. The extract still gates each by its step's
  -- position, so "as of" reads stay exact.
  ALTER TABLE referral_facts
    ADD COLUMN IF NOT EXISTS accepted_days integer GENERATED ALWAYS AS
      ((accepted_at AT TIME ZONE 'Europe/Amsterdam')::date - (requested_at AT TIME ZONE 'Europe/Amsterdam')::date) STORED,
    ADD COLUMN IF NOT EXISTS first_contact_days integer GENERATED ALWAYS AS
      ((first_contact_at AT TIME ZONE 'Europe/Amsterdam')::date - (requested_at AT TIME ZONE 'Europe/Amsterdam')::date) STORED,
    ADD COLUMN IF NOT EXISTS intake_days integer GENERATED ALWAYS AS
      (intake_on - (requested_at AT TIME ZONE 'Europe/Amsterdam')::date) STORED,
    -- the six dimensions, in the order the projection writes the scores (PositiveHealthDimension)
    ADD COLUMN IF NOT EXISTS health_change numeric[] GENERATED ALWAYS AS (ARRAY[
      closure_health[1] - intake_health[1], closure_health[2] - intake_health[2],
      closure_health[3] - intake_health[3], closure_health[4] - intake_health[4],
      closure_health[5] - intake_health[5], closure_health[6] - intake_health[6]]) STORED;`;

export const reportingMigrations: readonly Migration[] = [
  migration('initial-layout', messagingTables(), receivedEvents, readModels),
  migration('capacity-plans', capacityPlans),
  migration('steps-before-request-index', stepsBeforeRequest),
  migration('extract-derived-columns', extractDerivedColumns),
];

export const migrateReporting = (pool: Pool, schema: string): Promise<MigrationResult> =>
  runMigrations(pool, schema, reportingMigrations);
