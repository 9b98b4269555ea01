// Secrets for local runs: taken from the environment when set, otherwise generated once and kept in
// .data/secrets.json (git-ignored) so data stays readable between runs. The development issuer's key
// is kept there too, so `npm run token` signs tokens the running platform accepts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateDevIssuerKey, SecretsConfig } from '@wor/service-kit';

export type PlatformSecrets = Readonly<{
  WOR_PSEUDONYM_SECRET: string;
  WOR_MASTER_KEY: string;
  WOR_DEV_ISSUER_KEY?: string;
}>;

export const loadOrCreateSecrets = (file: string, env = process.env): PlatformSecrets => {
  if (env.WOR_PSEUDONYM_SECRET && env.WOR_MASTER_KEY) {
    SecretsConfig.parse(env);
    return {
      WOR_PSEUDONYM_SECRET: env.WOR_PSEUDONYM_SECRET,
      WOR_MASTER_KEY: env.WOR_MASTER_KEY,
      ...(env.WOR_DEV_ISSUER_KEY ? { WOR_DEV_ISSUER_KEY: env.WOR_DEV_ISSUER_KEY } : {}),
    };
  }
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PlatformSecrets) : undefined;
  if (existing?.WOR_DEV_ISSUER_KEY) return existing;
  const secrets: PlatformSecrets = {
    WOR_PSEUDONYM_SECRET: existing?.WOR_PSEUDONYM_SECRET ?? randomBytes(32).toString('hex'),
    WOR_MASTER_KEY: existing?.WOR_MASTER_KEY ?? randomBytes(32).toString('base64'),
    WOR_DEV_ISSUER_KEY: generateDevIssuerKey(),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
};
