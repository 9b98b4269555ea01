// The read models of the monitoring, all derived from the received-events log.
//
// One fact row per referral, pseudonymous and free of personal data: the referral id, codes, bands
// and dates; Positieve Gezondheid scores as arrays in the vocabulary's dimension order. Every group of columns has the log position of the event that set it, so a query can
// read the state "as of" any position: a column counts only when its position is ≤ P. Each group
// is set once, by the first event of its kind (later duplicates of a step change nothing), which
// makes the projection independent of the order in which the steps arrive.
import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Every read-model table, in the order a rebuild empties them (received_events is not one). */
export const READ_MODEL_TABLES = [
  'referral_facts',
  'activity_links',
  'consent_facts',
  'access_denials',
  'social_map_services',
  'practice_list_sizes',
] as const;

export const migrateReadModels = async (db: Queryable): Promise<void> => {
  await db.query(`CREATE TABLE IF NOT EXISTS referral_facts (
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
    error_at timestamptz, error_pos bigint)`);
  await db.query(`CREATE INDEX IF NOT EXISTS referral_facts_requested ON referral_facts (municipality, requested_at)`);
  await db.query(`CREATE INDEX IF NOT EXISTS referral_facts_closed ON referral_facts (municipality, closed_at)`);
  // Steps still waiting for their request (data-quality note).
  await db.query(`CREATE INDEX IF NOT EXISTS referral_facts_requested_pos ON referral_facts (requested_pos)`);
  // Consent events name no municipality; a consent counts where a referral used it.
  await db.query(`CREATE INDEX IF NOT EXISTS referral_facts_consent ON referral_facts (consent_id)`);
  await db.query(`CREATE TABLE IF NOT EXISTS activity_links (
    position bigint PRIMARY KEY, referral_id uuid NOT NULL, service_id uuid NOT NULL, linked_at timestamptz NOT NULL)`);
  await db.query(`CREATE INDEX IF NOT EXISTS activity_links_referral ON activity_links (referral_id)`);
  await db.query(`CREATE TABLE IF NOT EXISTS consent_facts (
    consent_id uuid PRIMARY KEY, municipality text,
    given_at timestamptz, given_pos bigint, withdrawn_at timestamptz, withdrawn_pos bigint)`);
  await db.query(`CREATE TABLE IF NOT EXISTS access_denials (
    position bigint PRIMARY KEY, municipality text, accessed_at timestamptz NOT NULL,
    role text NOT NULL, action text NOT NULL, purpose text NOT NULL)`);
  await db.query(`CREATE TABLE IF NOT EXISTS social_map_services (
    service_id uuid PRIMARY KEY, name text, published_at timestamptz, published_pos bigint,
    retired_at timestamptz, retired_pos bigint)`);
  await db.query(`CREATE TABLE IF NOT EXISTS practice_list_sizes (
    position bigint PRIMARY KEY, municipality text NOT NULL, practice_id text NOT NULL,
    registered_patients integer NOT NULL, set_at timestamptz NOT NULL)`);
  await db.query(
    `CREATE INDEX IF NOT EXISTS practice_list_sizes_practice ON practice_list_sizes (municipality, practice_id, position)`,
  );
};

export const truncateReadModels = async (tx: PoolClient): Promise<void> => {
  await tx.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
};
