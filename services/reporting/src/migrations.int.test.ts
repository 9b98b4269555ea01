// Upgrade from the layout before numbered migrations (a pg_dump of the previous code's schema with the
// demo data): migration 1 is recorded, every row stays, and the result is the layout a new database gets.
import { freshSchemaPool, loadSchemaDump, schemaLayout, schemaRows } from '@wor/test-support';
import { join } from 'node:path';
import { migrateReporting } from './migrations';

describe('reporting schema migrations (real PostgreSQL)', () => {
  it('upgrades a database at the previous layout with its data intact, to the layout a new one gets', async () => {
    const old = await freshSchemaPool('up');
    const fresh = await freshSchemaPool('new');
    try {
      const url = (old.pool.options as { connectionString: string }).connectionString;
      await loadSchemaDump(
        url,
        join(__dirname, 'testing', 'layout-before-migrations.sql'),
        'fixture_reporting',
        old.schema,
      );
      const before = await schemaRows(old.pool, old.schema);
      expect(before.received_events!.length).toBeGreaterThan(0);

      expect(await migrateReporting(old.pool, old.schema)).toEqual({ applied: ['initial-layout'] });
      expect(await schemaRows(old.pool, old.schema, ['schema_migrations'])).toEqual(before);
      expect(await migrateReporting(old.pool, old.schema)).toEqual({ applied: [] });

      await migrateReporting(fresh.pool, fresh.schema);
      expect(await schemaLayout(old.pool, old.schema)).toEqual(await schemaLayout(fresh.pool, fresh.schema));
    } finally {
      await old.close();
      await fresh.close();
    }
  });
});
