// All four services in this process (in-process transport, real PostgreSQL), like the launcher's
// embedded mode, but with every service's pino output captured and its metrics registry at hand:
// the security tests search both for personal data.
import { createConsentService, consentPolicies } from '@wor/consent-service';
import { createInProcessTransport } from '@wor/messaging';
import { createReferralService, referralPolicies } from '@wor/referral-service';
import { createReportingService, reportingPolicies } from '@wor/reporting-service';
import {
  createDevIssuer,
  createLogger,
  createServicePool,
  type DevTokenClaims,
  type EndpointPolicy,
  ensureSchema,
  parsePolicyKey,
  type PolicyTable,
  type RunningService,
  runService,
  serviceDeps,
  type ServiceFactory,
  type WorService,
  isFhirRoute,
} from '@wor/service-kit';
import { createSocialMapService, socialMapPolicies } from '@wor/social-map-service';
import { databaseUrl, uniqueName } from '@wor/test-support';
import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';

export type ServiceName = 'referral' | 'consent' | 'social-map' | 'reporting';

type Definition = Readonly<{ name: ServiceName; schema: string; factory: ServiceFactory; policies: PolicyTable }>;

/** Start order: consumers subscribe before producers publish. */
export const SERVICES: readonly Definition[] = [
  { name: 'reporting', schema: 'reporting', factory: createReportingService, policies: reportingPolicies },
  { name: 'referral', schema: 'referral', factory: createReferralService, policies: referralPolicies },
  { name: 'consent', schema: 'consent', factory: createConsentService, policies: consentPolicies },
  { name: 'social-map', schema: 'social_map', factory: createSocialMapService, policies: socialMapPolicies },
];

/** Every endpoint of the four services' policy tables, with its method and path. */
export const ENDPOINTS = SERVICES.flatMap((s) =>
  (Object.entries(s.policies) as [string, EndpointPolicy][]).map(([key, policy]) => ({
    service: s.name,
    key,
    policy,
    ...parsePolicyKey(key),
  })),
);

export type Platform = Readonly<{
  urls: Record<ServiceName, string>;
  services: Record<ServiceName, WorService>;
  /** Everything every service's logger wrote so far. */
  logs: () => string;
  /** Each service's /metrics text. */
  metrics: () => Promise<Record<ServiceName, string>>;
  /** Events in a service's own event store (reporting has none: 0). */
  eventCount: (name: ServiceName) => Promise<number>;
  stop: () => Promise<void>;
}>;

export const startPlatform = async (options: { logLevel?: string } = {}): Promise<Platform> => {
  const url = await databaseUrl();
  const prefix = `${uniqueName('sec')}_`;
  const transport = createInProcessTransport();
  // One pseudonym secret and key for the chain: consent and referral must agree on subject ids.
  const pseudonymSecret = randomBytes(32).toString('hex');
  const masterKey = randomBytes(32);
  const authenticate = createDevIssuer().authenticate;
  const chunks: string[] = [];
  const pools = {} as Record<ServiceName, Pool>;
  const services = {} as Record<ServiceName, WorService>;
  const urls = {} as Record<ServiceName, string>;
  const running: RunningService[] = [];
  const stop = async () => {
    for (const r of running.reverse()) await r.close();
    for (const s of Object.values(services).reverse()) await s.stop();
    for (const p of Object.values(pools)) await p.end();
    await transport.close();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      for (const d of SERVICES) await client.query(`DROP SCHEMA IF EXISTS "${prefix}${d.schema}" CASCADE`);
    } finally {
      await client.end();
    }
  };
  try {
    for (const d of SERVICES) {
      const schema = prefix + d.schema;
      const logger = createLogger(d.name, {
        level: options.logLevel ?? 'debug',
        destination: { write: (chunk: string) => void chunks.push(chunk) },
      });
      const pool = createServicePool(url, schema, logger);
      pools[d.name] = pool;
      await ensureSchema(pool, schema);
      const service = await d.factory(
        serviceDeps({ pool, schema, transport, logger, authenticate, topicPrefix: prefix, pseudonymSecret, masterKey }),
      );
      services[d.name] = service;
      await service.start();
      const r = await runService({ app: service.app, port: 0, host: '127.0.0.1', logger });
      running.push(r);
      urls[d.name] = r.url;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls,
    services,
    logs: () => chunks.join(''),
    metrics: async () =>
      Object.fromEntries(
        await Promise.all(SERVICES.map(async (d) => [d.name, await (await fetch(`${urls[d.name]}/metrics`)).text()])),
      ) as Record<ServiceName, string>,
    eventCount: async (name) => {
      if (name === 'reporting') return 0;
      const { rows } = await pools[name].query<{ n: string }>(
        `SELECT count(*) AS n FROM "${prefix}${SERVICES.find((d) => d.name === name)!.schema}".events`,
      );
      return Number(rows[0]!.n);
    },
    stop,
  };
};

/** Signs the callers' tokens (the services trust its key in these tests). */
export const issuer = createDevIssuer();

export type Response = {
  status: number;
  contentType: string;
  etag: string | null;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
  /** The URL called (its path decides the error format). */
  url: string;
};

/** Errors are problem+json, except under /fhir: OperationOutcome for FHIR clients. */
export const errorMediaType = (path: string, status?: number): RegExp =>
  // A request line or headers too large to parse (431) are refused before any route: always problem+json.
  isFhirRoute(path) && status !== 431 ? /application\/fhir\+json/ : /application\/problem\+json/;

/** The error's detail: problem+json's `detail`, or the OperationOutcome's first diagnostics. */
export const detailOf = (body: Record<string, unknown>): unknown =>
  body.detail ?? (body.issue as { diagnostics?: string }[] | undefined)?.[0]?.diagnostics;

/** One HTTP call as `caller` (no token when undefined); a string or byte body is sent as is. */
export const call = async (
  caller: DevTokenClaims | undefined,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> => {
  const h: Record<string, string> = { 'content-type': 'application/json', ...headers };
  if (caller) h.authorization = `Bearer ${await issuer.sign(caller)}`;
  const response = await fetch(url, {
    method,
    headers: h,
    ...(body === undefined
      ? {}
      : { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed =
      text && /json/.test(response.headers.get('content-type') ?? '')
        ? (JSON.parse(text) as Record<string, unknown>)
        : {};
  } catch {
    parsed = {};
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    etag: response.headers.get('etag'),
    text,
    body: parsed,
    url,
  };
};
