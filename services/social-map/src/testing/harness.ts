// The social-map service on real PostgreSQL (a fresh schema) with the in-process transport, for the
// integration tests; callers sign dev tokens. Not part of the build.
import type { AddressInfo } from 'node:net';
import { Topics, type IntegrationEvent } from '@wor/contracts';
import { createInProcessTransport, createKafkaTransport, type Transport } from '@wor/messaging';
import {
  createDevIssuer,
  createLogger,
  createMetrics,
  type DevTokenClaims,
  serviceDeps,
  type ServiceDeps,
  type WorService,
} from '@wor/service-kit';
import { freshSchemaPool, kafkaBrokers, responseValidator, uniqueName } from '@wor/test-support';
import type { Pool } from 'pg';
import { socialMapOpenApi } from '../openapi';
import { createSocialMapService } from '../service';

export const SECRET = 'social-map-test-token-secret-0123456789abcdef';

export type Harness = Readonly<{
  service: WorService;
  pool: Pool;
  schema: string;
  transport: Transport;
  prefix: string;
  /** Sets the service's clock (staleness, months). */
  setNow: (date: Date) => void;
  call: (
    who: DevTokenClaims | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of any shape, asserted by the tests
  ) => Promise<{ status: number; body: any; headers: Headers }>;
  published: IntegrationEvent[];
  close: () => Promise<void>;
}>;

/** `kafka: true` runs the service on the real broker (KAFKA_BROKERS or a container) instead of in-process. */
export const startHarness = async (options: { kafka?: boolean } = {}): Promise<Harness> => {
  const { pool, schema, close: closePool } = await freshSchemaPool('smap');
  const transport = options.kafka
    ? createKafkaTransport({
        brokers: await kafkaBrokers(),
        clientId: uniqueName('smap'),
        numPartitions: 1,
        sessionTimeoutMs: 6_000,
      })
    : createInProcessTransport();
  const issuer = createDevIssuer({ secret: SECRET });
  const prefix = `${uniqueName('t')}.`;
  let now = new Date();
  const deps: ServiceDeps = serviceDeps({
    pool,
    schema,
    transport,
    logger: createLogger('social-map', { level: 'warn' }),
    metrics: createMetrics({ defaultMetrics: false }),
    authenticate: issuer.authenticate,
    topicPrefix: prefix,
    pseudonymSecret: 'pseudonym-secret-for-social-map-tests-000000',
    masterKey: Buffer.alloc(32, 7),
    now: () => now,
  });
  const published: IntegrationEvent[] = [];
  const service = await createSocialMapService(deps);
  await transport.ensureTopics([`${prefix}${Topics.socialMap}`]);
  const listener = await transport.subscribe({
    groupId: `${prefix}probe`,
    topics: [`${prefix}${Topics.socialMap}`],
    handle: async (message) => {
      published.push(JSON.parse(message.value) as IntegrationEvent);
    },
  });
  await service.start();
  const server = service.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Every answer any test gets is checked against the OpenAPI document: the document cannot drift.
  const documented = responseValidator(socialMapOpenApi);
  const call: Harness['call'] = async (who, method, path, body, headers = {}) => {
    const response = await fetch(base + path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(who ? { authorization: `Bearer ${await issuer.sign(who)}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const parsed = text && contentType.includes('json') ? JSON.parse(text) : text || undefined;
    documented({ method, url: path, status: response.status, contentType, body: parsed });
    return { status: response.status, body: parsed, headers: response.headers };
  };

  return {
    service,
    pool,
    schema,
    transport,
    prefix,
    setNow: (date) => (now = date),
    call,
    published,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await listener.stop();
      await service.stop();
      if (options.kafka) await transport.close();
      await closePool();
    },
  };
};
