// DDL for the PostgreSQL event store. Idempotent and safe to run from several processes at once.
import type { Pool } from 'pg';
import { withTransaction } from './transaction';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** Returns the schema as a quoted identifier; rejects anything that is not a plain lowercase name. */
export const quoteSchema = (schema: string): string => {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name: ${JSON.stringify(schema)}`);
  return `"${schema}"`;
};

const ddl = (s: string): string => `
  CREATE SCHEMA IF NOT EXISTS ${s};

  -- One row per stream: writers of the same stream serialise on it (optimistic concurrency).
  CREATE TABLE IF NOT EXISTS ${s}.streams (
    stream_id text PRIMARY KEY,
    version   int  NOT NULL
  );

  CREATE TABLE IF NOT EXISTS ${s}.events (
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

  CREATE INDEX IF NOT EXISTS events_transaction_position ON ${s}.events (transaction_id, global_position);
`;

/** Creates the schema and tables when missing. Running it again (or concurrently) is harmless. */
export const migratePostgresEventStore = async (pool: Pool, schema: string): Promise<void> => {
  const s = quoteSchema(schema);
  await withTransaction(pool, async (tx) => {
    // IF NOT EXISTS is not race-free between sessions; the lock makes concurrent migrations queue.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wor-event-store:${schema}`]);
    await tx.query(ddl(s));
  });
};
