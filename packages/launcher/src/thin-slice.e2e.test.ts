// End to end: the four services as separate processes, through a real Kafka broker and PostgreSQL.
import { databaseUrl, freePort, kafkaBrokers, uniqueName } from '@wor/test-support';
import { randomBytes } from 'node:crypto';
import { startProcesses } from './processes';
import { thinSliceSpec } from './testing/thin-slice-spec';

jest.setTimeout(90_000);

describe('thin slice, one process per service, through Kafka', () => {
  thinSliceSpec(async () => {
    const prefix = `${uniqueName('e2e')}_`;
    const url = await databaseUrl();
    const platform = await startProcesses({
      databaseUrl: url,
      kafkaBrokers: (await kafkaBrokers()).join(','),
      secrets: { WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'), WOR_MASTER_KEY: randomBytes(32).toString('base64') },
      prefix,
      ports: { referral: await freePort(), consent: await freePort(), 'social-map': await freePort(), reporting: await freePort() },
      output: () => undefined,
    });
    return { platform, databaseUrl: url, prefix };
  });
});
