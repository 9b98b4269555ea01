// Upgrade from the layout before numbered migrations: a pg_dump of the previous code's schema with the
// demo data (testing/layout-before-migrations.sql).
import { upgradeContract } from '@wor/test-support';
import { join } from 'node:path';
import { migrateReporting } from './migrations';

upgradeContract('reporting', {
  dump: join(__dirname, 'testing', 'layout-before-migrations.sql'),
  dumpSchema: 'fixture_reporting',
  migrate: migrateReporting,
  filled: 'received_events',
});
