// The embedded default: all four services in one process, fed by the in-process transport, with the
// same service, relay and consumer code as the distributed setup.
import { createInProcessTransport, type Transport } from '@wor/messaging';
import {
  createDevIssuer,
  createLogger,
  createServicePool,
  ensureSchema,
  serviceSettings,
  type RunningService,
  runService,
  secretDeps,
  SecretsConfig,
  serviceDeps,
  type WorService,
} from '@wor/service-kit';
import type { Pool } from 'pg';
import type { PlatformSecrets } from './secrets';
import { SERVICES, type ServiceName, type ServiceUrls } from './services';

export type PlatformOptions = Readonly<{
  databaseUrl: string;
  secrets: PlatformSecrets;
  /** Port per service; 0 picks a free one. Defaults to 3001–3004. */
  ports?: Partial<Record<ServiceName, number>>;
  /** Prefix for schemas, topics and groups: tests run isolated platforms side by side. */
  prefix?: string;
  host?: string;
  /** Defaults to the in-process transport; tests pass a Kafka transport to run one process over Kafka. */
  transport?: Transport;
  /** The clock every service reads; the rich demo moves it into the past while it loads (demo/clock.ts). */
  now?: () => Date;
  /** Where the services' own settings come from (docs/configuration.md); defaults to process.env. */
  env?: Record<string, string | undefined>;
}>;

export type RunningPlatform = Readonly<{
  urls: ServiceUrls;
  stop: () => Promise<void>;
  /** The services' log level from now on (the launcher quiets the demo load's requests); embedded only. */
  setLogLevel?: (level: string) => void;
}>;

export const startInProcess = async (options: PlatformOptions): Promise<RunningPlatform> => {
  // Every service's settings first: a bad one stops the start before any pool or port opens.
  const settings = SERVICES.map((definition) => serviceSettings(definition.factory, options.env ?? process.env));
  const transport = options.transport ?? createInProcessTransport();
  const authenticate = createDevIssuer().authenticate;
  const prefix = options.prefix ?? '';
  const started: { service: WorService; running: RunningService; pool: Pool }[] = [];
  const loggers: ReturnType<typeof createLogger>[] = [];
  const stop = async () => {
    for (const { service, running, pool } of started.reverse()) {
      await running.close();
      await service.stop();
      await pool.end();
    }
    await transport.close();
  };
  try {
    for (const [index, definition] of SERVICES.entries()) {
      const schema = prefix + definition.schema;
      const logger = createLogger(definition.name);
      loggers.push(logger);
      const pool = createServicePool(options.databaseUrl, schema, logger);
      await ensureSchema(pool, schema);
      const service = await definition.factory(
        serviceDeps({
          pool,
          schema,
          transport,
          logger,
          authenticate,
          topicPrefix: prefix,
          ...secretDeps({ ...SecretsConfig.parse(options.secrets), WOR_KEYRING_DIR: options.secrets.WOR_KEYRING_DIR }),
          now: options.now ?? (() => new Date()),
          // Asked at call time: a service may call one that starts after it.
          peerUrl: (name) => started.find((s) => s.service.name === name)?.running.url,
          settings: settings[index],
        }),
      );
      await service.start();
      const port = options.ports?.[definition.name] ?? definition.port;
      const running = await runService({ app: service.app, port, host: options.host ?? '127.0.0.1', logger });
      started.push({ service, running, pool });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = Object.fromEntries(SERVICES.map((d, i) => [d.name, started[i]!.running.url])) as ServiceUrls;
  const setLogLevel = (level: string) => loggers.forEach((logger) => (logger.level = level));
  return { urls, stop, setLogLevel };
};
