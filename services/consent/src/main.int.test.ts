// The consent process as it really starts (dist/main.js in a child process): an access-log retention
// below the legal minimum stops it with exit code 78, naming the variable but not the value, before
// it opens a connection.
import { generateDevIssuerKey } from '@wor/service-kit';
import { runToExit } from '@wor/test-support';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

describe('the consent process start (child process)', () => {
  it('exits 78 on a retention below five years, without echoing it, before opening the database', async () => {
    const { code, output } = await runToExit(join(__dirname, '..', 'dist', 'main.js'), {
      WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
      WOR_MASTER_KEY: randomBytes(32).toString('base64'),
      WOR_KEYRING_DIR: '/tmp/wor-consent-main-test-keyring',
      WOR_DEV_ISSUER_KEY: generateDevIssuerKey(),
      // Nothing listens here: a process that connected before validating would fail otherwise.
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing',
      KAFKA_BROKERS: '127.0.0.1:1',
      WOR_ACCESS_LOG_RETENTION_YEARS: '-1234',
      WOR_REFERRAL_URL: 'not a url',
    });
    expect(code).toBe(78);
    expect(output).toContain('WOR_ACCESS_LOG_RETENTION_YEARS is invalid (at least 5 years)');
    expect(output).toContain('WOR_REFERRAL_URL is invalid');
    expect(output).not.toContain('-1234');
    expect(output).not.toContain('not a url');
    expect(output).not.toMatch(/ECONNREFUSED|start failed/);
  });
});
