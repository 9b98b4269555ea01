// Running a service as its own process against real PostgreSQL and Kafka (docker-compose, `npm start`
// with DATABASE_URL and KAFKA_BROKERS set, end-to-end tests). Configuration is validated at start.
import { createKafkaTransport } from '@wor/messaging';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config';
import { EventStoreEnv, eventStoreSelection, requireEventStoreUrl } from './event-store-config';
import { createLogger } from './logger';
import { HttpSecurityEnv } from './http-security';
import { type AuthConfig, AuthEnv, authenticatorFromConfig } from './oidc';
import { runService } from './run';
import { serviceDeps, type ServiceDeps, type ServiceFactory } from './service';
import { serviceSettings } from './settings';
import { MigrationRefused } from '@wor/migrations';
import { processTracing } from './instrumentation';
import { initTracing } from './tracing';

const SchemaName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lowercase PostgreSQL schema name');

/** Secrets every service reads the same way; see docs/configuration.md. */
const KEY = /^[A-Za-z0-9+/]{43}=$/;
export const SecretsConfig = z.object({
  WOR_PSEUDONYM_SECRET: z.string().min(32, 'at least 32 characters'),
  WOR_MASTER_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'base64 of exactly 32 bytes')
    .transform((v) => Buffer.from(v, 'base64')),
  /** Master keys being rotated out: they still open a keyring sealed with them (which is then re-sealed). */
  WOR_PREVIOUS_MASTER_KEYS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .refine((keys) => keys.every((k) => KEY.test(k)), 'comma-separated base64 keys of exactly 32 bytes')
    .transform((keys) => keys.map((k) => Buffer.from(k, 'base64'))),
});

/** Read by the logger and the OpenTelemetry exporter themselves; validated here so a typo stops the start. */
/** Read by the logger and the OpenTelemetry exporter themselves; validated here so a typo stops the start. */
export const ObservabilityEnv = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});

/** The parsed secrets (and the keyring's place) as ServiceDeps carry them. */
export const secretDeps = (
  secrets: z.output<typeof SecretsConfig> & { WOR_KEYRING_DIR?: string | undefined },
): Pick<ServiceDeps, 'pseudonymSecret' | 'masterKey' | 'previousMasterKeys' | 'keyringDir'> => ({
  pseudonymSecret: secrets.WOR_PSEUDONYM_SECRET,
  masterKey: secrets.WOR_MASTER_KEY,
  previousMasterKeys: secrets.WOR_PREVIOUS_MASTER_KEYS,
  ...(secrets.WOR_KEYRING_DIR === undefined ? {} : { keyringDir: secrets.WOR_KEYRING_DIR }),
});

const processConfig = (defaultPort: number, defaultSchema: string, holdsSubjectKeys: boolean) =>
  requireEventStoreUrl(
    SecretsConfig.extend({
      DATABASE_URL: z.string().url(),
      KAFKA_BROKERS: z
        .string()
        .min(1)
        .transform((v) => v.split(',').map((b) => b.trim())),
      PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
      HOST: z.string().default('127.0.0.1'),
      DB_SCHEMA: SchemaName.default(defaultSchema),
      // Outside the database on purpose (docs/privacy.md): shared by the service's replicas, backed up.
      WOR_KEYRING_DIR: holdsSubjectKeys
        ? z.string().startsWith('/', 'an absolute path to a directory')
        : z.string().optional(),
      KAFKA_TOPIC_PREFIX: z
        .string()
        .regex(/^[a-zA-Z0-9._-]*$/)
        .default(''),
      ...EventStoreEnv,
    }),
  );

/** A pool whose connections resolve unqualified names in the service's own schema. */
export const createServicePool = (connectionString: string, schema: string, logger?: Logger, max = 10): Pool => {
  const pool = new Pool({ connectionString, max, options: `-c search_path=${SchemaName.parse(schema)}` });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the next query opens a fresh one and readiness reports the outage meanwhile.
  pool.on('error', (error) => logger?.warn({ err: error }, 'idle database connection lost'));
  // A connection that dies while checked out (restart, pg_terminate_backend) emits 'error' on its
  // client, which pg-pool listens to only while the client is idle: unheard, it ends the process.
  // The query in flight fails anyway, and the pool discards the broken client on release.
  pool.on('connect', (client) =>
    client.on('error', (error) => logger?.warn({ err: error }, 'database connection lost')),
  );
  return pool;
};

export const ensureSchema = async (pool: Pool, schema: string): Promise<void> => {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${SchemaName.parse(schema)}"`);
};

type ProcessConfig = z.output<ReturnType<typeof processConfig>>;

/** The variables every service process reads (docs/configuration.md is tested against them). */
export const processVariableNames = (): string[] => [
  ...Object.keys(processConfig(0, 'x', false).shape),
  ...Object.keys(AuthEnv.shape),
  ...Object.keys(HttpSecurityEnv.shape),
  ...Object.keys(ObservabilityEnv.shape),
];

export const runServiceProcess = async (options: {
  name: string;
  defaultPort: number;
  defaultSchema: string;
  factory: ServiceFactory;
  /** The service seals personal data with subject keys: it needs a keyring (WOR_KEYRING_DIR). */
  holdsSubjectKeys?: boolean;
}): Promise<void> => {
  const logger = createLogger(options.name);
  let config: ProcessConfig;
  let auth: AuthConfig;
  let settings: Readonly<Record<string, unknown>>;
  try {
    [config, auth, settings] = loadProcessConfig(
      processConfig(options.defaultPort, options.defaultSchema, options.holdsSubjectKeys ?? false),
      options.factory,
    );
  } catch (error) {
    logger.fatal((error as Error).message);
    process.exit(78); // EX_CONFIG
  }
  try {
    await startProcess(options, config, auth, settings, logger);
  } catch (error) {
    if (error instanceof MigrationRefused) {
      logger.fatal(error.message);
      process.exit(78); // EX_CONFIG: the database does not match this code's migrations
    }
    logger.fatal({ err: error }, 'start failed');
    process.exit(1);
  }
};

/** Every setting a service process reads, each group validated, every problem reported at once. */
const loadProcessConfig = <S extends z.ZodType>(
  schema: S,
  factory: ServiceFactory,
  env: Record<string, string | undefined> = process.env,
): [z.output<S>, AuthConfig, Readonly<Record<string, unknown>>] => {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const config = attempt(() => loadConfig(schema, env));
  const auth = attempt(() => loadConfig(AuthEnv, env));
  attempt(() => loadConfig(HttpSecurityEnv, env)); // read again by createApp
  attempt(() => loadConfig(ObservabilityEnv, env));
  const settings = attempt(() => serviceSettings(factory, env));
  if (problems.length > 0) throw new ConfigError(problems);
  return [config as z.output<S>, auth!, settings!];
};

const startProcess = async (
  options: { name: string; factory: ServiceFactory },
  config: ProcessConfig,
  auth: AuthConfig,
  settings: Readonly<Record<string, unknown>>,
  logger: Logger,
): Promise<void> => {
  // Started by the entry point before the modules it patches loaded (see instrumentation.ts).
  const tracing = processTracing() ?? initTracing(options.name);
  const pool = createServicePool(config.DATABASE_URL, config.DB_SCHEMA, logger);
  const transport = createKafkaTransport({ brokers: config.KAFKA_BROKERS, clientId: options.name, logger });
  await ensureSchema(pool, config.DB_SCHEMA);
  const service = await options.factory(
    serviceDeps({
      pool,
      schema: config.DB_SCHEMA,
      transport,
      logger,
      authenticate: authenticatorFromConfig(auth),
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      ...secretDeps(config),
      eventStore: eventStoreSelection(config),
      settings,
    }),
  );
  await service.start();
  logger.info(
    { authentication: auth.OIDC_ISSUER === undefined ? 'development issuer' : 'oidc', issuer: auth.OIDC_ISSUER },
    'authentication',
  );
  await runService({
    app: service.app,
    port: config.PORT,
    host: config.HOST,
    logger,
    handleSignals: true,
    onShutdown: async () => {
      await service.stop();
      await transport.close();
      await pool.end();
      await tracing.shutdown();
    },
  });
};
