// The embedded default: all four services in one process, fed by the in-process transport, with the
// same service, relay and consumer code as the distributed setup.
import { createInProcessTransport, type Transport } from '@wor/messaging';
import {
  createDevIssuer,
  createLogger,
  createServicePool,
  ensureSchema,
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
}>;

export type RunningPlatform = Readonly<{ urls: ServiceUrls; stop: () => Promise<void> }>;

export const startInProcess = async (options: PlatformOptions): Promise<RunningPlatform> => {
  const transport = options.transport ?? createInProcessTransport();
  const authenticate = createDevIssuer().authenticate;
  const prefix = options.prefix ?? '';
  const started: { service: WorService; running: RunningService; pool: Pool }[] = [];
  const stop = async () => {
    for (const { service, running, pool } of started.reverse()) {
      await running.close();
      await service.stop();
      await pool.end();
    }
    await transport.close();
  };
  try {
    for (const definition of SERVICES) {
      const schema = prefix + definition.schema;
      const logger = createLogger(definition.name);
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
          // Asked at call time: a service may call one that starts after it.
          peerUrl: (name) => started.find((s) => s.service.name === name)?.running.url,
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
  return { urls, stop };
};
