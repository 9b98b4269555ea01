// What can stop `npm start` before anything runs, checked first so the user gets one paragraph that
// says what to do and a sysexits code: 78 (configuration: something to change) or 69 (unavailable:
// something that does not answer). Never a stack trace.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';

export const EX_UNAVAILABLE = 69;
export const EX_CONFIG = 78;

export class StartError extends Error {
  constructor(
    readonly exitCode: typeof EX_UNAVAILABLE | typeof EX_CONFIG,
    message: string,
  ) {
    super(message);
    this.name = 'StartError';
  }
}

/** A connection string without its password, fit to print. */
export const redactedUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
};

const NO_ANSWER = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** DATABASE_URL must answer and let us in. */
export const checkDatabaseUrl = async (url: string, timeoutMs = 5000): Promise<void> => {
  const shown = redactedUrl(url);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code && !NO_ANSWER.has(code) && /^[0-9A-Z]{5}$/.test(code))
      throw new StartError(
        EX_CONFIG,
        `The PostgreSQL server at DATABASE_URL (${shown}) answered but refused us: ${message}. ` +
          'Check the user, password and database name in DATABASE_URL, or unset DATABASE_URL to use the embedded database.',
      );
    throw new StartError(
      EX_UNAVAILABLE,
      `DATABASE_URL (${shown}) does not answer (${code ?? message}). Start that PostgreSQL server, ` +
        'check the host and port in DATABASE_URL, or unset DATABASE_URL to use the embedded database in .data/pg.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
};

const answers = (host: string, port: number, timeoutMs: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

/** At least one of KAFKA_BROKERS must accept a connection. */
export const checkKafka = async (brokers: string, timeoutMs = 3000): Promise<void> => {
  const list = brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const parsed = list.map((b) => /^(.+):(\d{1,5})$/.exec(b));
  if (list.length === 0 || parsed.some((m) => !m))
    throw new StartError(
      EX_CONFIG,
      `KAFKA_BROKERS (${JSON.stringify(brokers)}) is not a list of host:port. Write it as e.g. ` +
        '"localhost:9092,localhost:9093", or unset it to run every service in this process without Kafka.',
    );
  const reached = await Promise.all(parsed.map((m) => answers(m![1]!, Number(m![2]), timeoutMs)));
  if (!reached.some(Boolean))
    throw new StartError(
      EX_UNAVAILABLE,
      `No Kafka broker of KAFKA_BROKERS (${list.join(', ')}) answers. Start Kafka (infra/kafka/kafka.sh start, ` +
        'or docker compose up kafka), correct KAFKA_BROKERS, or unset it to run every service in this process without Kafka.',
    );
};

export type PortUse = Readonly<{ port: number; what: string; setting?: string }>;

const free = (port: number, host: string) =>
  new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });

/** Every port we are about to listen on must be free. */
export const checkPortsFree = async (uses: readonly PortUse[], host = '127.0.0.1'): Promise<void> => {
  for (const use of uses) {
    const error = await free(use.port, host);
    if (!error) continue;
    const change = use.setting ? `, or set ${use.setting} to another port` : '';
    throw new StartError(
      EX_CONFIG,
      error.code === 'EADDRINUSE'
        ? `Port ${use.port} on ${host}, which ${use.what} needs, is in use by another program (perhaps an earlier ` +
            `npm start that is still running: stop it with Ctrl-C${change}).`
        : `Cannot listen on port ${use.port} on ${host} for ${use.what} (${error.code ?? error.message})${change ? `; ${change.slice(2)}` : ''}.`,
    );
  }
};

/** The embedded data directory must be from the same PostgreSQL major version as our binaries. */
export const checkEmbeddedVersion = (databaseDir: string, binaryMajor: number): void => {
  const file = join(databaseDir, 'PG_VERSION');
  if (!existsSync(file)) return;
  const found = readFileSync(file, 'utf8').trim();
  if (Number(found) === binaryMajor) return;
  throw new StartError(
    EX_CONFIG,
    `The embedded database in ${databaseDir} was made by PostgreSQL ${found}; this version of the platform ` +
      `runs PostgreSQL ${binaryMajor}, which cannot open it. To start afresh with the demo data, move that ` +
      `directory aside (or delete it). To keep its data, dump it with PostgreSQL ${found}'s pg_dump and restore ` +
      'it into the new one, or point DATABASE_URL at a server that runs it.',
  );
};
