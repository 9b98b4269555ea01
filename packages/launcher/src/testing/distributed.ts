// The distributed platform for end-to-end tests: every service its own process, real Kafka and
// PostgreSQL, fresh secrets, free ports and a schema/topic prefix of its own.
import { randomBytes } from 'node:crypto';
import { databaseUrl, freePort, kafkaBrokers, uniqueName } from '@wor/test-support';
import type { RunningPlatform } from '../in-process';
import { startProcesses } from '../processes';
import { SERVICES } from '../services';
import { dropSchemas } from './thin-slice';

export type DistributedPlatform = Readonly<{
  platform: RunningPlatform;
  databaseUrl: string;
  prefix: string;
  /** Stops the processes and drops their schemas. */
  stop: () => Promise<void>;
}>;

/** `env`: extra settings for every service process (e.g. where to export traces). */
export const startDistributedPlatform = async (
  name: string,
  env: Record<string, string> = {},
): Promise<DistributedPlatform> => {
  const prefix = `${uniqueName(name)}_`;
  const url = await databaseUrl();
  const platform = await startProcesses({
    databaseUrl: url,
    kafkaBrokers: (await kafkaBrokers()).join(','),
    secrets: {
      WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
      WOR_MASTER_KEY: randomBytes(32).toString('base64'),
    },
    prefix,
    ports: {
      referral: await freePort(),
      consent: await freePort(),
      'social-map': await freePort(),
      reporting: await freePort(),
    },
    output: () => undefined,
    env,
  });
  return {
    platform,
    databaseUrl: url,
    prefix,
    stop: async () => {
      await platform.stop();
      await dropSchemas(
        url,
        SERVICES.map((s) => prefix + s.schema),
      );
    },
  };
};
