// Upgrade from the layout before numbered migrations (a pg_dump of the previous code's schema with the
// demo data): migration 1 is recorded, every row stays, and the result is the layout a new database gets.
import { freshSchemaPool, loadSchemaDump, schemaLayout, schemaRows } from '@wor/test-support';
import { join } from 'node:path';
import { migrateReferral } from './migrations';

describe('referral schema migrations (real PostgreSQL)', () => {
  it('upgrades a database at the previous layout with its data intact, to the layout a new one gets', async () => {
    const old = await freshSchemaPool('up');
    const fresh = await freshSchemaPool('new');
    try {
      const url = (old.pool.options as { connectionString: string }).connectionString;
      await loadSchemaDump(
        url,
        join(__dirname, 'testing', 'layout-before-migrations.sql'),
        'fixture_referral',
        old.schema,
      );
      const before = await schemaRows(old.pool, old.schema);
      expect(before.events!.length).toBeGreaterThan(0);

      expect(await migrateReferral(old.pool, old.schema)).toEqual({ applied: ['initial-layout'] });
      expect(await schemaRows(old.pool, old.schema, ['schema_migrations'])).toEqual(before);
      expect(await migrateReferral(old.pool, old.schema)).toEqual({ applied: [] });

      await migrateReferral(fresh.pool, fresh.schema);
      expect(await schemaLayout(old.pool, old.schema)).toEqual(await schemaLayout(fresh.pool, fresh.schema));
    } finally {
      await old.close();
      await fresh.close();
    }
  });
});
