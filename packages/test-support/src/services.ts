// Where tests find real PostgreSQL and Kafka: the env vars first (CI and this machine kind),
// testcontainers otherwise (machines with Docker). Never a mock.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

let databaseUrlPromise: Promise<string> | undefined;
let kafkaBrokersPromise: Promise<string[]> | undefined;

export const databaseUrl = (): Promise<string> =>
  (databaseUrlPromise ??= (async () => {
    if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    return container.getConnectionUri();
  })());

export const kafkaBrokers = (): Promise<string[]> =>
  (kafkaBrokersPromise ??= (async () => {
    if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS.split(',').map((b) => b.trim());
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start();
    return [`${container.getHost()}:${container.getMappedPort(9093)}`];
  })());

/** A lowercase name unique to this test run, safe for schemas, topics and group ids. */
export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`;

export type TestSchema = Readonly<{ schema: string; databaseUrl: string; drop: () => Promise<void> }>;

/** A fresh, empty PostgreSQL schema; `drop()` removes it with everything in it. */
export const freshSchema = async (prefix = 't'): Promise<TestSchema> => {
  const url = await databaseUrl();
  const schema = uniqueName(prefix);
  const run = async (sql: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE SCHEMA "${schema}"`);
  return { schema, databaseUrl: url, drop: () => run(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
};

/** A TCP port free right now on loopback, for processes that must be told their port up front. */
export const freePort = async (): Promise<number> => {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
};

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export const eventually = async <T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** A fresh schema and a pool whose connections use it as search_path; `close()` ends both. */
export const freshSchemaPool = async (prefix = 't') => {
  const { Pool } = await import('pg');
  const schema = await freshSchema(prefix);
  const pool = new Pool({ connectionString: schema.databaseUrl, options: `-c search_path=${schema.schema}` });
  return {
    schema: schema.schema,
    pool,
    close: async () => {
      await pool.end();
      await schema.drop();
    },
  };
};

/** Runs a Node.js entry point with exactly `env` until it exits: its exit code and everything it wrote. */
export const runToExit = async (
  file: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> => {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
};
