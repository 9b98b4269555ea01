// `npm run rotate-kek -w @wor/consent-service`: starts a new KEK epoch now — the erasure follow-up by
// hand (the services run it by themselves) or a routine key rotation: every subject key of the schema
// is re-wrapped with a new KEK and the old one is destroyed. The keyring is re-sealed with WOR_MASTER_KEY
// when WOR_PREVIOUS_MASTER_KEYS (base64, comma-separated) opened it.
// Env: DATABASE_URL, WOR_SCHEMA (default `consent`; `referral` for the referral service's keys),
// WOR_MASTER_KEY, WOR_KEYRING_DIR. Shows the re-wrapping's progress on stderr (a bar on a terminal,
// plain lines otherwise); prints how many keys were re-wrapped and the new KEK's id.
import { openSubjectKeyStore, masterKeyFrom, migrateSubjectKeyStore } from '@wor/privacy';
import { createProgress, type Progress } from '@wor/service-kit';
import { Pool } from 'pg';

export const rotateCommand = async (
  env: Record<string, string | undefined>,
  progressOf: () => Progress = () => createProgress({ label: 'rotate-kek', unit: 'keys' }),
): Promise<{ code: number; output: string }> => {
  const schema = env.WOR_SCHEMA ?? 'consent';
  let settings: { masterKey: Buffer; previousMasterKeys: Buffer[]; keyringDir: string };
  try {
    if (!env.WOR_KEYRING_DIR) throw new Error('WOR_KEYRING_DIR is not set');
    settings = {
      masterKey: masterKeyFrom(env.WOR_MASTER_KEY, 'WOR_MASTER_KEY'),
      previousMasterKeys: (env.WOR_PREVIOUS_MASTER_KEYS ?? '')
        .split(',')
        .filter((k) => k.trim())
        .map((k) => masterKeyFrom(k, 'WOR_PREVIOUS_MASTER_KEYS')),
      keyringDir: env.WOR_KEYRING_DIR,
    };
  } catch (error) {
    return { code: 2, output: `rotate-kek: ${(error as Error).message}` };
  }
  const pool = new Pool({ connectionString: env.DATABASE_URL });
  try {
    await migrateSubjectKeyStore(pool, schema);
    const keys = await openSubjectKeyStore({ pool, schema, ...settings });
    const progress = progressOf();
    const { rotated, rewrapped, kekId } = await keys.rotate({ force: true, onProgress: progress.update });
    progress.finish();
    if (!rotated) return { code: 1, output: 'rotate-kek: another process is rotating this schema; try again' };
    return { code: 0, output: JSON.stringify({ rewrapped, kekId }) };
  } catch (error) {
    return { code: 2, output: `rotate-kek: ${(error as Error).message}` };
  } finally {
    await pool.end();
  }
};

if (require.main === module)
  void rotateCommand(process.env).then(({ code, output }) => {
    (code === 0 ? process.stdout : process.stderr).write(`${output}\n`);
    process.exit(code);
  });
