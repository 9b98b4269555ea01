import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { createLogger } from './logger';
import { createMetrics } from './metrics';
import { SecretsConfig, secretDeps } from './process';
import { serviceDeps } from './service';

describe('serviceDeps', () => {
  const given = {
    pool: {} as Pool,
    schema: 's',
    transport: {} as never,
    logger: createLogger('t', { level: 'silent' }),
    authenticate: async () => ({ subject: 'x', roles: [] }),
    pseudonymSecret: 'p'.repeat(32),
    masterKey: randomBytes(32),
  };

  it('fills in a fresh metrics registry, the real clock and no topic prefix', () => {
    const deps = serviceDeps(given);
    expect(deps.topicPrefix).toBe('');
    expect(Math.abs(deps.now().getTime() - Date.now())).toBeLessThan(1000);
    expect(deps.metrics).toBeDefined();
    expect(serviceDeps(given).metrics).not.toBe(deps.metrics);
  });

  it('keeps what the caller gives', () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const now = () => new Date(0);
    expect(serviceDeps({ ...given, metrics, now, topicPrefix: 'p.' })).toMatchObject({
      metrics,
      now,
      topicPrefix: 'p.',
    });
  });

  it('takes the secrets as the process configuration parsed them', () => {
    const key = randomBytes(32);
    const parsed = SecretsConfig.parse({
      WOR_PSEUDONYM_SECRET: 'q'.repeat(32),
      WOR_MASTER_KEY: key.toString('base64'),
    });
    expect(secretDeps({ ...parsed, WOR_KEYRING_DIR: '/keys' })).toEqual({
      pseudonymSecret: 'q'.repeat(32),
      masterKey: key,
      previousMasterKeys: [],
      keyringDir: '/keys',
    });
    expect(secretDeps(parsed)).not.toHaveProperty('keyringDir');
  });
});
