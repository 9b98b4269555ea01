// Numbered schema migrations with a record: each service's schema holds schema_migrations (number, name,
// checksum, applied_at). A start runs what is missing, in order, under an advisory lock, in one
// transaction; it refuses to run when an applied migration changed or is unknown to this code.
// Why our own runner and not node-pg-migrate: docs/operations.md#schema-migrations.
import { createHash } from 'node:crypto';
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool } from 'pg';

/**
 * One step of a schema's history. Its SQL uses unqualified names (the runner sets search_path to the
 * schema) and never changes once released: a change is a new migration at the end of the list.
 */
export type Migration = Readonly<{ name: string; sql: string }>;

/** The database does not match this code's migrations; the process exits 78 (EX_CONFIG). */
export class MigrationRefused extends Error {
  override readonly name = 'MigrationRefused';
}

export type MigrationResult = Readonly<{ applied: readonly string[] }>;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const NAME = /^[a-z0-9][a-z0-9-]*$/;

export const checksumOf = (migration: Migration): string => createHash('sha256').update(migration.sql).digest('hex');

/** Joins parts (a package's tables, a feature's) into one migration's SQL. */
export const migration = (name: string, ...parts: readonly string[]): Migration => ({
  name,
  sql: parts.map((part) => part.trim()).join('\n\n'),
});

type Applied = { number: number; name: string; checksum: string };

const refusal = (schema: string, applied: readonly Applied[], migrations: readonly Migration[]): string | undefined => {
  for (const row of applied) {
    const known = migrations[row.number - 1];
    if (known === undefined)
      return (
        `schema ${schema} has migration ${row.number} (${row.name}) that this code does not know: ` +
        'the database is newer than the code; run the release that applied it'
      );
    if (known.name !== row.name || checksumOf(known) !== row.checksum)
      return (
        `migration ${row.number} (${row.name}) of schema ${schema} was changed after it was applied ` +
        `(now ${known.name}, checksum differs); restore it and put the change in a new migration`
      );
  }
  return undefined;
};

/**
 * Brings `schema` up to `migrations` (numbered 1.. by their place in the list). Concurrent starts
 * queue on the lock; the second finds nothing to do. Returns the names it applied.
 */
export const runMigrations = async (
  pool: Pick<Pool, 'connect'>,
  schema: string,
  migrations: readonly Migration[],
): Promise<MigrationResult> => {
  if (!IDENTIFIER.test(schema)) throw new Error(`Invalid schema name: ${JSON.stringify(schema)}`);
  const names = new Set(migrations.map((m) => m.name));
  if (names.size !== migrations.length || !migrations.every((m) => NAME.test(m.name)))
    throw new Error('Migration names must be unique lowercase words joined by hyphens');
  const s = `"${schema}"`;
  return withTransaction(pool, async (client) => {
    // Held to COMMIT: the check, the DDL and the record are one step for every process at once.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wor-migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`SET LOCAL search_path TO ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      number     integer     PRIMARY KEY CHECK (number > 0),
      name       text        NOT NULL UNIQUE,
      checksum   text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<Applied>(
      `SELECT number, name, checksum FROM ${s}.schema_migrations ORDER BY number`,
    );
    const refused = refusal(schema, rows, migrations);
    if (refused !== undefined) throw new MigrationRefused(refused);
    const pending = migrations.slice(rows.length);
    for (const [index, step] of pending.entries()) {
      await client.query(step.sql);
      await client.query(`INSERT INTO ${s}.schema_migrations (number, name, checksum) VALUES ($1, $2, $3)`, [
        rows.length + index + 1,
        step.name,
        checksumOf(step),
      ]);
    }
    return { applied: pending.map((m) => m.name) };
  });
};
