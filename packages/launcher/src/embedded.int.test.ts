// The embedded default's way of running: all services in one process on the in-process transport,
// here on the real PostgreSQL of the test environment.
import { databaseUrl, uniqueName } from '@wor/test-support';
import { randomBytes } from 'node:crypto';
import { startInProcess } from './in-process';
import { thinSliceSpec } from './testing/thin-slice-spec';

jest.setTimeout(60_000);

describe('thin slice, all services in one process, in-process transport', () => {
  thinSliceSpec(async () => {
    const prefix = `${uniqueName('emb')}_`;
    const url = await databaseUrl();
    const platform = await startInProcess({
      databaseUrl: url,
      secrets: {
        WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
        WOR_MASTER_KEY: randomBytes(32).toString('base64'),
      },
      prefix,
      ports: { referral: 0, consent: 0, 'social-map': 0, reporting: 0 },
    });
    return { platform, databaseUrl: url, prefix };
  });
});
