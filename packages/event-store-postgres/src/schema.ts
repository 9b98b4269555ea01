// DDL for the PostgreSQL event store. Idempotent and safe to run from several processes at once.
import type { Pool } from 'pg';
import { withTransaction } from './transaction';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** Returns the schema as a quoted identifier; rejects anything that is not a plain lowercase name. */
export const quoteSchema = (schema: string): string => {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name: ${JSON.stringify(schema)}`);
  return `"${schema}"`;
};

/**
 * The event store's tables, `prefix` a quoted schema and a dot, or empty for the search_path. Part of
 * every service's migration 1 (its checksum): never edit; a change is a new migration of each service.
 */
export const eventStoreTables = (prefix = ''): string => `
  -- One row per stream: writers of the same stream serialise on it (optimistic concurrency).
  CREATE TABLE IF NOT EXISTS ${prefix}streams (
    stream_id text PRIMARY KEY,
    version   int  NOT NULL
  );

  CREATE TABLE IF NOT EXISTS ${prefix}events (
    global_position bigserial   PRIMARY KEY,
    -- The writing transaction: readAll orders by it to never skip events committed out of order.
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id       text        NOT NULL,
    stream_version  int         NOT NULL,
    event_id        uuid        NOT NULL,
    type            text        NOT NULL,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}',
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_event_id_unique UNIQUE (event_id),
    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
  );

  CREATE INDEX IF NOT EXISTS events_transaction_position ON ${prefix}events (transaction_id, global_position);
`;

/** Creates the schema and tables when missing (package tests, tools); services run their migrations. */
export const migratePostgresEventStore = async (pool: Pool, schema: string): Promise<void> => {
  const s = quoteSchema(schema);
  await withTransaction(pool, async (tx) => {
    // IF NOT EXISTS is not race-free between sessions; the lock makes concurrent migrations queue.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wor-event-store:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(eventStoreTables(`${s}.`));
  });
};
