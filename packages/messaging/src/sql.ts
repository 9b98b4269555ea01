import type { Pool, PoolClient } from 'pg';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a schema name after checking it, so it can be interpolated into SQL. */
export const quoteSchema = (schema: string): string => {
  if (!IDENTIFIER.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  return `"${schema}"`;
};

// A multi-statement query runs as one implicit transaction, so this lock serialises concurrent
// migrations (CREATE ... IF NOT EXISTS alone can still race on the catalog).
const MIGRATION_LOCK = `SELECT pg_advisory_xact_lock(hashtext('wor-messaging-migrate'));`;

export type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Relay positions: one row per relay name. `prefix`: a quoted schema and a dot, or empty. */
const relayTables = (prefix: string): string => `
  CREATE TABLE IF NOT EXISTS ${prefix}relay_checkpoints (
    name text PRIMARY KEY,
    checkpoint text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  );`;

/** Consumer bookkeeping: processed event ids (dedupe) and dead letters (nothing is lost). */
const consumerTables = (prefix: string): string => `
  CREATE TABLE IF NOT EXISTS ${prefix}processed_events (
    consumer text NOT NULL,
    event_id text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
  );
  CREATE TABLE IF NOT EXISTS ${prefix}dead_letters (
    id bigserial PRIMARY KEY,
    consumer text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" text NOT NULL,
    message_key text,
    value text NOT NULL,
    headers jsonb NOT NULL,
    reason text NOT NULL,
    error text NOT NULL,
    event_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Set by the redrive command once the letter is published again (see redrive.ts).
    redriven_at timestamptz
  );
  CREATE INDEX IF NOT EXISTS dead_letters_consumer_idx ON ${prefix}dead_letters (consumer, created_at);`;

/** The tables of relays and consumers; part of every service's migration 1: never edit, add a migration. */
export const messagingTables = (prefix = ''): string => relayTables(prefix) + consumerTables(prefix);

export const migrateRelayCheckpoints = async (db: Queryable, schema: string): Promise<void> => {
  const s = quoteSchema(schema);
  await db.query(`${MIGRATION_LOCK} CREATE SCHEMA IF NOT EXISTS ${s}; ${relayTables(`${s}.`)}`);
};

export const migrateConsumerTables = async (db: Queryable, schema: string): Promise<void> => {
  const s = quoteSchema(schema);
  await db.query(`${MIGRATION_LOCK} CREATE SCHEMA IF NOT EXISTS ${s}; ${consumerTables(`${s}.`)}`);
};

/** Both of the above. */
export const migrateMessaging = async (db: Queryable, schema: string): Promise<void> => {
  await migrateRelayCheckpoints(db, schema);
  await migrateConsumerTables(db, schema);
};
