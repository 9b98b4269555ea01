// The whole referral service on a fresh schema (real PostgreSQL, in-process transport), for the FHIR API's
// integration tests. Consent reaches the service's local consent view as it would by events.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IntegrationEvent } from '@wor/contracts';
import { createInProcessTransport } from '@wor/messaging';
import { pseudonymise } from '@wor/privacy';
import { createDevIssuer, createLogger, createMetrics, serviceSettings, type Role } from '@wor/service-kit';
import { freshSchemaPool, responseValidator, uniqueName } from '@wor/test-support';
import request from 'supertest';
import { projectConsentEvent } from '../../consent-view';
import { referralOpenApi } from '../../openapi';
import { projectSocialMapEvent } from '../../social-map-view';
import { createReferralService } from '../../service';
import serviceRequestExample from '../examples/service-request.json';

export type TestCaller = { sub: string; roles: Role[]; org?: string };
export const gp: TestCaller = { sub: 'gp-system-1', roles: ['gp-system'], org: 'huisarts-beterschap' };
export const otherGp: TestCaller = { sub: 'gp-system-2', roles: ['gp-system'], org: 'huisarts-elders' };
export const coordinator: TestCaller = { sub: 'coordinator-1', roles: ['coordinator'], org: 'welzijn-beterstad' };
export const otherCoordinator: TestCaller = { sub: 'coordinator-2', roles: ['coordinator'], org: 'welzijn-elders' };

const PSEUDONYM_SECRET = 'fhir-test-pseudonym-secret';
/** The configured public base URL (FHIR_BASE_URL), as behind a proxy: fullUrls and locations use it. */
export const FHIR_BASE = 'https://fhir.test.example/wor/fhir';
/** The path under this service of an absolute URL under FHIR_BASE, to request it. */
export const pathOf = (url: string): string => {
  if (!url.startsWith(`${FHIR_BASE}/`)) throw new Error(`not under ${FHIR_BASE}: ${url}`);
  return `/fhir${url.slice(FHIR_BASE.length)}`;
};

export const startReferralService = async () => {
  const { pool, schema, close } = await freshSchemaPool('rfhir');
  const transport = createInProcessTransport();
  const logger = createLogger('referral', { level: 'silent' });
  const issuer = createDevIssuer();
  const clock = { now: new Date('2026-11-23T10:00:00.000Z') };
  const service = await createReferralService({
    pool,
    schema,
    transport,
    logger,
    metrics: createMetrics(),
    authenticate: issuer.authenticate,
    topicPrefix: `${uniqueName('t')}.`,
    pseudonymSecret: PSEUDONYM_SECRET,
    masterKey: randomBytes(32),
    now: () => clock.now,
    settings: serviceSettings(createReferralService, { ...process.env, FHIR_BASE_URL: FHIR_BASE }),
  });
  await service.start();
  const project = async (event: IntegrationEvent) => {
    const client = await pool.connect();
    try {
      await projectConsentEvent(event, client);
    } finally {
      client.release();
    }
  };
  const envelope = { schemaVersion: 1, occurredAt: '2026-11-01T00:00:00Z', producer: 'consent', municipality: null };
  // The practice's data-sharing agreements with both welfare organisations (samenwerkingsovereenkomst).
  for (const organisationId of ['welzijn-beterstad', 'welzijn-elders'])
    await project({
      ...envelope,
      eventId: randomUUID(),
      type: 'DataSharingAgreementActivated',
      subjectId: null,
      data: {
        agreementId: randomUUID(),
        parties: [
          { organisationId: 'huisarts-beterschap', role: 'joint-controller' },
          { organisationId, role: 'joint-controller' },
        ],
        purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
        dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
        validFrom: '2026-01-01T00:00:00Z',
        validUntil: null,
        activatedAt: '2026-01-01T00:00:00Z',
      },
    } as IntegrationEvent);

  // Every answer is checked against the OpenAPI document: the document cannot drift.
  const documented = responseValidator(referralOpenApi);
  const http = async (
    caller: TestCaller,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const agent = request(service.app);
    let req = (method === 'GET' ? agent.get(path) : method === 'PUT' ? agent.put(path) : agent.post(path)).set(
      'Authorization',
      `Bearer ${await issuer.sign(caller)}`,
    );
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    if (body !== undefined) req = req.set('Content-Type', 'application/fhir+json').send(JSON.stringify(body));
    const res = await req;
    const parsed = JSON.parse(res.text || 'null');
    const contentType = String(res.headers['content-type'] ?? '');
    documented({ method, url: path, status: res.status, contentType, body: res.text ? parsed : undefined });
    return {
      status: res.status,
      headers: res.headers as Record<string, string>,
      body: parsed as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
      text: res.text,
    };
  };

  /** A request without a token. */
  const anonymous = async (method: 'GET' | 'POST', path: string) => {
    const res = await (method === 'GET' ? request(service.app).get(path) : request(service.app).post(path));
    return {
      status: res.status,
      headers: res.headers as Record<string, string>,
      body: JSON.parse(res.text || 'null') as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    };
  };
  /** A request with a raw (e.g. malformed) FHIR JSON body. */
  const raw = async (caller: TestCaller, method: 'POST' | 'PUT', path: string, body: string) => {
    const agent = request(service.app);
    const res = await (method === 'POST' ? agent.post(path) : agent.put(path))
      .set('Authorization', `Bearer ${await issuer.sign(caller)}`)
      .set('Content-Type', 'application/fhir+json')
      .send(body);
    return {
      status: res.status,
      headers: res.headers as Record<string, string>,
      body: JSON.parse(res.text || 'null') as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    };
  };

  /** The patient's consent for WoR, as the consent service publishes it; returns its id. */
  const consentFor = async (bsn: string, recipient = 'welzijn-beterstad'): Promise<string> => {
    const consentId = randomUUID();
    await project({
      ...envelope,
      eventId: randomUUID(),
      type: 'ConsentRecorded',
      subjectId: pseudonymise(bsn, PSEUDONYM_SECRET),
      data: {
        consentId,
        provision: 'permit',
        recipientOrganisationIds: [recipient],
        purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
        dataCategories: null,
        validFrom: '2026-11-01T00:00:00Z',
        validUntil: null,
      },
    } as IntegrationEvent);
    return consentId;
  };

  /** A social-map service, as the social map publishes it; returns its id. */
  const publishService = async (name: string): Promise<string> => {
    const serviceId = randomUUID();
    const client = await pool.connect();
    try {
      await projectSocialMapEvent(
        {
          ...envelope,
          eventId: randomUUID(),
          producer: 'social-map',
          type: 'ServicePublished',
          subjectId: null,
          data: {
            serviceId,
            organizationId: randomUUID(),
            name,
            dimensions: ['meedoen'],
            publishedAt: envelope.occurredAt,
          },
        } as IntegrationEvent,
        client,
      );
    } finally {
      client.release();
    }
    return serviceId;
  };

  /** The events of a referral's stream: type and data, in order. */
  const streamOf = async (referralId: string) =>
    (
      await pool.query<{ type: string; data: Record<string, unknown> }>(
        `SELECT type, data FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        [`referral-${referralId}`],
      )
    ).rows;

  const referralCount = async (): Promise<number> =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM streams WHERE stream_id LIKE 'referral-%'`))
      .rows[0]!.n;
  const eventCount = async (): Promise<number> =>
    (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;

  return {
    pool,
    clock,
    http,
    anonymous,
    raw,
    consentFor,
    publishService,
    streamOf,
    referralCount,
    eventCount,
    stop: async () => {
      await service.stop();
      await transport.close();
      await close();
    },
  };
};
export type ReferralServiceUnderTest = Awaited<ReturnType<typeof startReferralService>>;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The example ServiceRequest for another patient and consent (and optionally other changes). */
export const serviceRequestFor = (
  bsn: string,
  consentId: string,
  change: (sr: typeof serviceRequestExample) => void = () => undefined,
) => {
  const sr = clone(serviceRequestExample);
  sr.contained[0]!.identifier[0]!.value = bsn;
  sr.supportingInfo[0]!.reference = `Consent/${consentId}`;
  change(sr);
  return sr;
};
