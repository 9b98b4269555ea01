// `npm start` when something is in the way: each case gives one paragraph naming what to do, exit 78
// (configuration) or 69 (unavailable), and no stack trace. The launcher runs as a child process
// (dist/start.js, as `npm start` runs it).
import { databaseUrl, freePort } from '@wor/test-support';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabaseProcess } from './testing/embedded-database-process';
import { Client } from 'pg';

jest.setTimeout(120_000);

const START = join(__dirname, '..', 'dist', 'start.js');
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'wor-start-'));
  dirs.push(dir);
  return dir;
};
const rootHome = tempDir();
chmodSync(rootHome, 0o755);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const start = (env: Record<string, string>) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'KAFKA_BROKERS', 'WOR_DEBUG'].includes(k)),
    );
    const child = spawn(process.execPath, [START], {
      env: { ...base, WOR_DEMO: 'none', WOR_DATA_DIR: tempDir(), WOR_EMBEDDED_ROOT_HOME: rootHome, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });

const expectParagraph = (output: string) => {
  expect(output).toMatch(/Cannot start: /);
  expect(output).not.toMatch(/\n\s+at /); // no stack trace
};

describe('clear errors at start', () => {
  it('names a port that is in use (78)', async () => {
    const port = await freePort();
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const { code, output } = await start({ WOR_EMBEDDED_PG_PORT: String(port) });
      expect(code).toBe(78);
      expectParagraph(output);
      expect(output).toContain(`Port ${port} on 127.0.0.1, which the embedded PostgreSQL needs, is in use`);
      expect(output).toContain('set WOR_EMBEDDED_PG_PORT');
    } finally {
      server.close();
    }
  });

  it('refuses an embedded data directory of another PostgreSQL major version (78)', async () => {
    const dataDir = tempDir();
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'pg'));
    writeFileSync(join(dataDir, 'pg', 'PG_VERSION'), '16\n');
    const { code, output } = await start({ WOR_DATA_DIR: dataDir });
    expect(code).toBe(78);
    expectParagraph(output);
    expect(output).toMatch(/made by PostgreSQL 16; this version of the platform runs PostgreSQL \d+/);
    expect(output).toContain('move that directory aside');
  });

  it('says a DATABASE_URL does not answer, without its password (69)', async () => {
    const port = await freePort();
    const { code, output } = await start({ DATABASE_URL: `postgres://wor:s3cret@127.0.0.1:${port}/wor` });
    expect(code).toBe(69);
    expectParagraph(output);
    expect(output).toContain(`DATABASE_URL (postgres://wor:***@127.0.0.1:${port}/wor) does not answer`);
    expect(output).toContain('unset DATABASE_URL');
    expect(output).not.toContain('s3cret');
  });

  it('says Kafka does not answer when KAFKA_BROKERS is set (69)', async () => {
    const port = await freePort();
    const { code, output } = await start({ DATABASE_URL: await databaseUrl(), KAFKA_BROKERS: `127.0.0.1:${port}` });
    expect(code).toBe(69);
    expectParagraph(output);
    expect(output).toContain(`No Kafka broker of KAFKA_BROKERS (127.0.0.1:${port}) answers`);
  });

  it('rejects a setting that is not valid (78)', async () => {
    const { code, output } = await start({ WOR_DEMO: 'everything' });
    expect(code).toBe(78);
    expectParagraph(output);
    expect(output).toContain('WOR_DEMO');
  });

  // PostgreSQL runs as user postgres when we are root; a data directory in a folder closed to
  // others (like `mktemp -d` or a checkout under /root) is relocated to one it can reach.
  (process.getuid?.() === 0 ? it : it.skip)(
    'as root, runs the embedded database for a data directory user postgres cannot enter',
    async () => {
      const dataDir = tempDir(); // mode 0700, owned by root
      const home = tempDir();
      chmodSync(home, 0o755);
      const database = await startEmbeddedDatabaseProcess(dataDir, await freePort(), {
        ...process.env,
        WOR_EMBEDDED_ROOT_HOME: home,
      });
      try {
        const client = new Client({ connectionString: database.url });
        await client.connect();
        expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
        await client.end();
        expect(existsSync(join(dataDir, 'pg'))).toBe(false);
        const relocated = readdirSync(home).find((d) => d.startsWith('data-'));
        expect(existsSync(join(home, relocated ?? '-', 'pg', 'PG_VERSION'))).toBe(true);
      } finally {
        await database.stop();
      }
    },
  );
});
