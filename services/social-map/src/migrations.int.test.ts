// Upgrade from the layout before numbered migrations: a pg_dump of the previous code's schema with the
// demo data (testing/layout-before-migrations.sql).
import { upgradeContract } from '@wor/test-support';
import { join } from 'node:path';
import { migrateSocialMap } from './migrations';

upgradeContract('social-map', {
  dump: join(__dirname, 'testing', 'layout-before-migrations.sql'),
  dumpSchema: 'fixture_social_map',
  migrate: migrateSocialMap,
  filled: 'events',
  // migration search-words: the words of haystack and name, generated
  derived: { map_services: ['words', 'name_words'] },
});
