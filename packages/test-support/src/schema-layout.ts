// What an upgrade test compares: a schema's layout (tables, columns, indexes, constraints, triggers,
// functions) with the schema's own name taken out, and every row of every table.
import { readFileSync } from 'node:fs';
import { Client, type Pool } from 'pg';
import { freshSchemaPool } from './services';

/** Loads a pg_dump of schema `from` (its CREATE SCHEMA removed) into the existing schema `to`. */
export const loadSchemaDump = async (databaseUrl: string, file: string, from: string, to: string): Promise<void> => {
  const sql = readFileSync(file, 'utf8').replaceAll(from, to);
  // Its own connection: the dump clears search_path for the session it runs in.
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

const LAYOUT = [
  `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
     FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
  `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`,
  `SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 ORDER BY 1`,
  `SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY t.tgname`,
  `SELECT p.proname || ' ' || p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = $1 ORDER BY 1`,
];

/** The schema's layout as lines of text, the schema's name replaced by `<schema>`. */
export const schemaLayout = async (pool: Pick<Pool, 'query'>, schema: string): Promise<string[]> => {
  const lines: string[] = [];
  for (const query of LAYOUT) {
    const { rows } = await pool.query<Record<string, string>>(query, [schema]);
    for (const row of rows) lines.push(Object.values(row)[0]!.replaceAll(`${schema}.`, '<schema>.'));
  }
  return lines;
};

/** Every row of every table of the schema but `except`, as JSON, in a stable order; `derived` columns
 * (per table) left out. */
export const schemaRows = async (
  pool: Pick<Pool, 'query'>,
  schema: string,
  except: readonly string[] = [],
  derived: Readonly<Record<string, readonly string[]>> = {},
): Promise<Record<string, unknown[]>> => {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [schema],
  );
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables.filter((t) => !except.includes(t.name))) {
    const { rows } = await pool.query<{ row: unknown }>(
      `SELECT to_jsonb(t) - $1::text[] AS row FROM "${schema}"."${name}" t ORDER BY (to_jsonb(t) - $1::text[])::text`,
      [derived[name] ?? []],
    );
    out[name] = rows.map((r) => r.row);
  }
  return out;
};

/**
 * The upgrade test of a service's migrations: a pg_dump of its schema at the layout before numbered
 * migrations (schema `dumpSchema`, with data) is migrated; migration 1 is recorded, every row stays,
 * a second start applies nothing, and the layout equals what a new database gets.
 */
export const upgradeContract = (
  name: string,
  options: {
    dump: string;
    dumpSchema: string;
    migrate: (pool: Pool, schema: string) => Promise<{ applied: readonly string[] }>;
    /** A table the dump fills, so the test cannot pass on an empty dump. */
    filled: string;
    /** Columns a later migration adds as generated from a row's other columns (per table): not compared. */
    derived?: Readonly<Record<string, readonly string[]>>;
  },
): void => {
  describe(`${name} schema migrations (real PostgreSQL)`, () => {
    it('upgrades a database at the previous layout with its data intact, to the layout a new one gets', async () => {
      const old = await freshSchemaPool('up');
      const fresh = await freshSchemaPool('new');
      try {
        const url = (old.pool.options as { connectionString: string }).connectionString;
        await loadSchemaDump(url, options.dump, options.dumpSchema, old.schema);
        const before = await schemaRows(old.pool, old.schema);
        expect(before[options.filled]!.length).toBeGreaterThan(0);

        // Migration 1 records the previous layout as it is; the later ones move it on.
        expect((await options.migrate(old.pool, old.schema)).applied[0]).toBe('initial-layout');
        // Every row there was is still there as it was (tables and derived columns a later migration added
        // are not compared).
        const after = await schemaRows(old.pool, old.schema, ['schema_migrations'], options.derived);
        expect(Object.fromEntries(Object.keys(before).map((table) => [table, after[table]]))).toEqual(before);
        expect(await options.migrate(old.pool, old.schema)).toEqual({ applied: [] });

        await options.migrate(fresh.pool, fresh.schema);
        expect(await schemaLayout(old.pool, old.schema)).toEqual(await schemaLayout(fresh.pool, fresh.schema));
      } finally {
        await old.close();
        await fresh.close();
      }
    });
  });
};
