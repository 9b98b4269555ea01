// The one referral-service harness: the whole service on a fresh schema with real PostgreSQL, over
// HTTP, for the REST, FHIR and subject-rights integration tests. Consent, agreement and social-map facts
// arrive the way they do in production: as integration events on the transport.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Topics, type IntegrationEvent } from '@wor/contracts';
import { createInProcessTransport, type Transport } from '@wor/messaging';
import { pseudonymise } from '@wor/privacy';
import { createDevIssuer, createLogger, type Role, runService, serviceDeps, serviceSettings } from '@wor/service-kit';
import { freshSchemaPool, responseValidator, uniqueName } from '@wor/test-support';
import { referralOpenApi } from '../openapi';
import { createReferralService } from '../service';

export type TestCaller = { sub: string; roles: Role[]; org?: string };
export const gp: TestCaller = { sub: 'gp-system-1', roles: ['gp-system'], org: 'huisarts-beterschap' };
export const coordinator: TestCaller = { sub: 'coordinator-1', roles: ['coordinator'], org: 'welzijn-beterstad' };
export const anna: TestCaller = { sub: 'coach-anna', roles: ['coach'], org: 'welzijn-beterstad' };
export const otherGp: TestCaller = { sub: 'gp-system-2', roles: ['gp-system'], org: 'huisarts-elders' };
export const otherCoordinator: TestCaller = { sub: 'coordinator-2', roles: ['coordinator'], org: 'welzijn-elders' };
export const elsewhere: TestCaller = { sub: 'coach-zed', roles: ['coach', 'coordinator'], org: 'welzijn-elders' };

const PSEUDONYM_SECRET = 'test-pseudonym-secret';
const at = (date: Date) => date.toISOString();

export type HarnessOptions = Readonly<{
  transport?: Transport;
  /** Start the service's clock here (tests move it with `clock.now`); the real time when absent. */
  at?: Date;
  /** The service's settings (REFERRAL_*, FHIR_*) come from here; process.env when absent. */
  env?: Record<string, string | undefined>;
}>;

export const startReferralService = async (options: HarnessOptions = {}) => {
  const { pool, schema, close } = await freshSchemaPool('referral');
  const clock: { now: Date | undefined } = { now: options.at };
  const now = () => clock.now ?? new Date();
  const prefix = `${uniqueName('t')}.`;
  const transport = options.transport ?? createInProcessTransport();
  const logLines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
  const logger = createLogger('referral', { destination, level: 'debug' });
  const issuer = createDevIssuer();
  const service = await createReferralService(
    serviceDeps({
      pool,
      schema,
      transport,
      logger,
      authenticate: issuer.authenticate,
      topicPrefix: prefix,
      pseudonymSecret: PSEUDONYM_SECRET,
      masterKey: randomBytes(32),
      now,
      // The service's own settings (REFERRAL_*), from the test's environment; defaults otherwise.
      settings: serviceSettings(createReferralService, options.env ?? process.env),
    }),
  );
  await service.start();
  const running = await runService({ app: service.app, port: 0, logger });
  // Every answer any test gets is checked against the OpenAPI document: the document cannot drift.
  const documented = responseValidator(referralOpenApi);

  /** A request with a body as given (e.g. malformed JSON); no token when `caller` is undefined. */
  const raw = async (
    caller: TestCaller | undefined,
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ) => {
    const sent = path.startsWith('/fhir') ? 'application/fhir+json' : 'application/json';
    const all: Record<string, string> = { 'content-type': sent, ...headers };
    if (caller) all.authorization = `Bearer ${await issuer.sign(caller)}`;
    const response = await fetch(running.url + path, { method, headers: all, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && text ? JSON.parse(text) : undefined;
    documented({ method, url: path, status: response.status, contentType: type, body: parsed ?? text });
    return {
      status: response.status,
      headers: response.headers,
      contentType: type,
      text,
      body: parsed as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    };
  };
  /** A request with a JSON body; no token when `caller` is undefined. */
  const http = (
    caller: TestCaller | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => raw(caller, method, path, body === undefined ? undefined : JSON.stringify(body), headers);

  const publish = (topic: string, event: IntegrationEvent) =>
    transport.publish(prefix + topic, [{ key: event.subjectId ?? randomUUID(), value: JSON.stringify(event) }]);

  const envelope = (subjectId: string | null, producer: 'consent' | 'social-map') => ({
    eventId: randomUUID(),
    schemaVersion: 1 as const,
    occurredAt: at(now()),
    producer,
    municipality: null,
    subjectId,
  });

  const dayBefore = () => at(new Date(now().getTime() - 86_400_000));

  /** A consent of the patient with this BSN for the recipient (welzijn-beterstad), known to the referral service. */
  const consentFor = async (
    bsn: string,
    over: { purposes?: ('wor-referral' | 'wor-coaching' | 'wor-feedback')[]; recipient?: string } = {},
  ) => {
    const consentId = randomUUID();
    await publish(Topics.consent, {
      ...envelope(pseudonymise(bsn, PSEUDONYM_SECRET), 'consent'),
      type: 'ConsentGiven',
      data: {
        consentId,
        recipientOrganisationId: over.recipient ?? 'welzijn-beterstad',
        purposes: over.purposes ?? ['wor-referral', 'wor-coaching', 'wor-feedback'],
        dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
        validFrom: dayBefore(),
        validUntil: null,
      },
    });
    return consentId;
  };

  const withdraw = (bsn: string, consentId: string) =>
    publish(Topics.consent, {
      ...envelope(pseudonymise(bsn, PSEUDONYM_SECRET), 'consent'),
      type: 'ConsentWithdrawn',
      data: { consentId, withdrawnAt: at(now()) },
    });

  /** The samenwerkingsovereenkomst between the practice and a welfare organisation (welzijn-beterstad). */
  const agreement = (organisationId = 'welzijn-beterstad') =>
    publish(Topics.consent, {
      ...envelope(null, 'consent'),
      type: 'DataSharingAgreementActivated',
      data: {
        agreementId: randomUUID(),
        parties: [
          { organisationId: 'huisarts-beterschap', role: 'joint-controller' },
          { organisationId, role: 'joint-controller' },
        ],
        purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
        dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
        validFrom: dayBefore(),
        validUntil: null,
        activatedAt: at(now()),
      },
    });

  const publishService = async (name: string) => {
    const serviceId = randomUUID();
    await publish(Topics.socialMap, {
      ...envelope(null, 'social-map'),
      type: 'ServicePublished',
      data: { serviceId, organizationId: randomUUID(), name, dimensions: ['meedoen'], publishedAt: at(now()) },
    });
    return serviceId;
  };

  const retireService = (serviceId: string) =>
    publish(Topics.socialMap, {
      ...envelope(null, 'social-map'),
      type: 'ServiceRetired',
      data: { serviceId, retiredAt: at(now()) },
    });

  const referralCount = async (): Promise<number> =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM streams WHERE stream_id LIKE 'referral-%'`))
      .rows[0]!.n;
  const eventCount = async (): Promise<number> =>
    (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
  /** The events of a referral's stream: type and data, in order. */
  const streamOf = async (referralId: string) =>
    (
      await pool.query<{ type: string; data: Record<string, unknown> }>(
        `SELECT type, data FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        [`referral-${referralId}`],
      )
    ).rows;

  return {
    pool,
    schema,
    prefix,
    clock,
    referralCount,
    eventCount,
    streamOf,
    referrals: service.referrals,
    transport,
    logLines,
    http,
    raw,
    publish,
    consentFor,
    withdraw,
    agreement,
    publishService,
    retireService,
    /** A bearer token for the caller, for a client outside this harness (e.g. a Java FHIR client). */
    token: (caller: TestCaller) => issuer.sign(caller),
    url: running.url,
    /** A bearer token of the harness's issuer, for clients outside `http` (e.g. the HAPI client in Java). */
    tokenFor: (caller: TestCaller): Promise<string> => issuer.sign(caller),
    app: service.app,
    stop: async () => {
      await running.close();
      await service.stop();
      if (!options.transport) await transport.close();
      await close();
    },
  };
};
export type ReferralServiceUnderTest = Awaited<ReturnType<typeof startReferralService>>;

export const referralBody = (consentId: string, bsn: string, over: Record<string, unknown> = {}) => ({
  consentId,
  patient: {
    bsn,
    name: { given: 'Jan', family: 'Jansen' },
    birthDate: '1950-03-04',
    sex: 'male',
    phone: '+31 6 12345678',
  },
  municipality: 'GM9999',
  practiceId: 'huisarts-beterschap',
  recipientOrganisationId: 'welzijn-beterstad',
  referrerRole: 'huisarts',
  reasons: ['eenzaamheid'],
  urgencyNote: 'Graag snel contact, woont alleen sinds kort.',
  ...over,
});
