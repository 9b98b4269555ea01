// The referral process as it really starts (dist/main.js in a child process): a bad setting or a
// changed migration stops it with exit code 78 (EX_CONFIG) and a message naming what is wrong,
// never the value, and in the settings case before any connection opens.
import { generateDevIssuerKey } from '@wor/service-kit';
import { freshSchemaPool, runToExit } from '@wor/test-support';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { migrateReferral } from './migrations';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

const start = (env: Record<string, string>) => runToExit(MAIN, env);

const valid = {
  WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
  WOR_MASTER_KEY: randomBytes(32).toString('base64'),
  WOR_KEYRING_DIR: '/tmp/wor-referral-main-test-keyring',
  WOR_DEV_ISSUER_KEY: generateDevIssuerKey(),
  // Nothing listens here: a process that connected before validating would fail with another code.
  KAFKA_BROKERS: '127.0.0.1:1',
  PORT: '0',
};

describe('the referral process start (child process)', () => {
  it('exits 78 naming the bad setting, without its value, before opening the database or broker', async () => {
    const { code, output } = await start({
      ...valid,
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing',
      REFERRAL_NOT_REACHABLE_AFTER_ATTEMPTS: 'seventy-seven',
      REFERRAL_FIRST_CONTACT_WORKING_DAYS: '31',
    });
    expect(code).toBe(78);
    expect(output.match(/ is (invalid|missing)/g)).toHaveLength(2);
    expect(output).toContain('REFERRAL_NOT_REACHABLE_AFTER_ATTEMPTS is invalid');
    expect(output).toContain('REFERRAL_FIRST_CONTACT_WORKING_DAYS is invalid');
    expect(output).not.toContain('seventy-seven');
    expect(output).not.toMatch(/\b31\b/);
    expect(output).not.toMatch(/ECONNREFUSED|start failed/);
  });

  it('exits 78 when a migration applied to its schema was changed since', async () => {
    const { pool, schema, close } = await freshSchemaPool('main');
    try {
      await migrateReferral(pool, schema);
      await pool.query(`UPDATE "${schema}".schema_migrations SET checksum = 'edited' WHERE number = 1`);
      const { code, output } = await start({
        ...valid,
        DATABASE_URL: (pool.options as { connectionString: string }).connectionString,
        DB_SCHEMA: schema,
      });
      expect(code).toBe(78);
      expect(output).toContain(`migration 1 (initial-layout) of schema ${schema} was changed after it was applied`);
    } finally {
      await close();
    }
  });
});
