// `npm run verify-access-log -w @wor/consent-service`: checks the access log's hash chain and prints the
// first entry where it breaks. Exit code 0 intact, 1 broken, 2 could not check.
// Env: DATABASE_URL, WOR_SCHEMA (default `consent`), WOR_PSEUDONYM_SECRET (the chain's HMAC key derives from it).
import { Pool } from 'pg';
import { chainKey, verifyChain } from './chain';

export const verifyCommand = async (
  env: Record<string, string | undefined>,
): Promise<{ code: number; output: string }> => {
  const schema = env.WOR_SCHEMA ?? 'consent';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) return { code: 2, output: 'WOR_SCHEMA is not a schema name' };
  if (!env.WOR_PSEUDONYM_SECRET) return { code: 2, output: 'WOR_PSEUDONYM_SECRET is required (the chain is keyed)' };
  const pool = new Pool({ connectionString: env.DATABASE_URL, options: `-c search_path=${schema}` });
  try {
    const report = await verifyChain(pool, chainKey(env.WOR_PSEUDONYM_SECRET));
    return { code: report.intact ? 0 : 1, output: JSON.stringify(report) };
  } catch (error) {
    return { code: 2, output: `verify-access-log: ${(error as Error).message}` };
  } finally {
    await pool.end();
  }
};

if (require.main === module)
  void verifyCommand(process.env).then(({ code, output }) => {
    (code === 2 ? process.stderr : process.stdout).write(`${output}\n`);
    process.exit(code);
  });
