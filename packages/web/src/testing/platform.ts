// The system the browser tests run against: all services in one process on the in-process transport
// (as `npm start` runs them) on the test PostgreSQL in schemas of their own, the demo data, and the web app.
import { loadDemoData, startInProcess, type RunningPlatform } from '@wor/launcher';
import { databaseUrl, uniqueName } from '@wor/test-support';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startWeb, type RunningWeb } from '../start';

export type TestSystem = Readonly<{ platform: RunningPlatform; web: RunningWeb; stop: () => Promise<void> }>;

export const startTestSystem = async (): Promise<TestSystem> => {
  const url = await databaseUrl();
  const prefix = `${uniqueName('web')}_`;
  const platform = await startInProcess({
    databaseUrl: url,
    secrets: {
      WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
      WOR_MASTER_KEY: randomBytes(32).toString('base64'),
    },
    prefix,
    ports: { referral: 0, consent: 0, 'social-map': 0, reporting: 0 },
  });
  await loadDemoData(platform.urls, () => undefined);
  const web = await startWeb({ urls: platform.urls, port: 0 });
  const stop = async () => {
    await web.stop();
    await platform.stop();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>(
        'SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)',
        [prefix],
      );
      for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
    } finally {
      await client.end();
    }
  };
  return { platform, web, stop };
};
