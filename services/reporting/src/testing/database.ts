// A fresh reporting schema with its tables, for integration tests on real PostgreSQL.
import { freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import { READ_MODEL_TABLES } from '../monitoring/read-models';
import { migrateReporting } from '../migrations';

export const reportingSchema = async (): Promise<{ pool: Pool; schema: string; close: () => Promise<void> }> => {
  const fresh = await freshSchemaPool('rep');
  await migrateReporting(fresh.pool, fresh.schema);
  return fresh;
};

/** Every read-model row, in a stable order: what "the same state" means for a rebuild. */
export const dumpReadModels = async (pool: Pool): Promise<Record<string, unknown[]>> => {
  const dump: Record<string, unknown[]> = {};
  for (const table of READ_MODEL_TABLES) {
    const { rows } = await pool.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY to_jsonb(t)::text`);
    dump[table] = rows.map((r: { row: unknown }) => r.row);
  }
  return dump;
};
