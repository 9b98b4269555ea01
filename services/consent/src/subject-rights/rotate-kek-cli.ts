// `npm run rotate-kek -w @wor/consent-service`: re-wraps every subject key with the current KEK
// (WOR_MASTER_KEY), unwrapping with it or one of WOR_PREVIOUS_MASTER_KEYS (base64, comma-separated).
// Env: DATABASE_URL, WOR_SCHEMA (default `consent`). Prints how many keys were re-wrapped.
import { createSubjectKeyStore, migrateSubjectKeyStore } from '@wor/privacy';
import { Pool } from 'pg';

export const rotateCommand = async (
  env: Record<string, string | undefined>,
): Promise<{ code: number; output: string }> => {
  const schema = env.WOR_SCHEMA ?? 'consent';
  if (!env.WOR_MASTER_KEY) return { code: 2, output: 'WOR_MASTER_KEY is required' };
  const keys = (value: string) =>
    value
      .split(',')
      .map((k) => Buffer.from(k.trim(), 'base64'))
      .filter((k) => k.length > 0);
  const pool = new Pool({ connectionString: env.DATABASE_URL });
  try {
    await migrateSubjectKeyStore(pool, schema);
    const store = createSubjectKeyStore({
      pool,
      schema,
      masterKey: Buffer.from(env.WOR_MASTER_KEY, 'base64'),
      previousMasterKeys: keys(env.WOR_PREVIOUS_MASTER_KEYS ?? ''),
    });
    const rewrapped = await store.rotate();
    return { code: 0, output: JSON.stringify({ rewrapped, kekId: store.currentKekId }) };
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
