// Secrets for local runs: taken from the environment when set, otherwise generated once and kept in
// .data/secrets.json (git-ignored) so data stays readable between runs. The development issuer's key
// is kept there too, so `npm run token` signs tokens the running platform accepts. The keyrings of
// key-encryption keys go to .data/keyring (or WOR_KEYRING_DIR): outside the database, so an erasure's
// follow-up can destroy a key for good (docs/privacy.md). Back them up with the database.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateDevIssuerKey, SecretsConfig } from '@wor/service-kit';

export type PlatformSecrets = Readonly<{
  WOR_PSEUDONYM_SECRET: string;
  WOR_MASTER_KEY: string;
  WOR_DEV_ISSUER_KEY?: string;
  /** Master keys being rotated out (base64, comma-separated). */
  WOR_PREVIOUS_MASTER_KEYS?: string;
  /** Where the services keep their keyrings; absent (tests): a temporary directory. */
  WOR_KEYRING_DIR?: string;
}>;

export const loadOrCreateSecrets = (file: string, env = process.env): PlatformSecrets => {
  const keyring = {
    WOR_KEYRING_DIR: env.WOR_KEYRING_DIR ?? join(dirname(file), 'keyring'),
    ...(env.WOR_PREVIOUS_MASTER_KEYS ? { WOR_PREVIOUS_MASTER_KEYS: env.WOR_PREVIOUS_MASTER_KEYS } : {}),
  };
  if (env.WOR_PSEUDONYM_SECRET && env.WOR_MASTER_KEY) {
    SecretsConfig.parse(env);
    return {
      WOR_PSEUDONYM_SECRET: env.WOR_PSEUDONYM_SECRET,
      WOR_MASTER_KEY: env.WOR_MASTER_KEY,
      ...(env.WOR_DEV_ISSUER_KEY ? { WOR_DEV_ISSUER_KEY: env.WOR_DEV_ISSUER_KEY } : {}),
      ...keyring,
    };
  }
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PlatformSecrets) : undefined;
  if (existing?.WOR_DEV_ISSUER_KEY) return { ...existing, ...keyring };
  const secrets: PlatformSecrets = {
    WOR_PSEUDONYM_SECRET: existing?.WOR_PSEUDONYM_SECRET ?? randomBytes(32).toString('hex'),
    WOR_MASTER_KEY: existing?.WOR_MASTER_KEY ?? randomBytes(32).toString('base64'),
    WOR_DEV_ISSUER_KEY: generateDevIssuerKey(),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return { ...secrets, ...keyring };
};
