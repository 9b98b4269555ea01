// Secrets for local runs: taken from the environment when set, otherwise generated once and kept in
// .data/secrets.json (git-ignored) so data stays readable between runs.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SecretsConfig } from '@wor/service-kit';

export type PlatformSecrets = Readonly<{ WOR_PSEUDONYM_SECRET: string; WOR_MASTER_KEY: string }>;

export const loadOrCreateSecrets = (file: string, env = process.env): PlatformSecrets => {
  if (env.WOR_PSEUDONYM_SECRET && env.WOR_MASTER_KEY) {
    SecretsConfig.parse(env);
    return { WOR_PSEUDONYM_SECRET: env.WOR_PSEUDONYM_SECRET, WOR_MASTER_KEY: env.WOR_MASTER_KEY };
  }
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as PlatformSecrets;
  const secrets: PlatformSecrets = {
    WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
    WOR_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
};
