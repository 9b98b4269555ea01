// `npm run verify-access-log -w @wor/consent-service`: checks the access log's hash chain and prints the
// first entry where it breaks. Exit code 0 intact, 1 broken, 2 could not check.
// Env: DATABASE_URL, WOR_SCHEMA (default `consent`).
import { Pool } from 'pg';
import { verifyChain } from './chain';

const main = async (): Promise<number> => {
  const schema = process.env.WOR_SCHEMA ?? 'consent';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error('WOR_SCHEMA is not a schema name');
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${schema}` });
  try {
    const report = await verifyChain(pool);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.intact ? 0 : 1;
  } finally {
    await pool.end();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`verify-access-log: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
