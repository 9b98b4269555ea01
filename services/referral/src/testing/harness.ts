// Starts the referral service on a fresh schema with real PostgreSQL, over HTTP, for integration
// tests. Consent, agreement and social-map facts arrive the way they do in production: as
// integration events on the transport.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Topics, type IntegrationEvent } from '@wor/contracts';
import { createInProcessTransport, type Transport } from '@wor/messaging';
import { pseudonymise } from '@wor/privacy';
import { createDevIssuer, createLogger, createMetrics, runService, type Role } from '@wor/service-kit';
import { freshSchemaPool, uniqueName } from '@wor/test-support';
import { createReferralService } from '../service';

export type TestCaller = { sub: string; roles: Role[]; org?: string };
export const gp: TestCaller = { sub: 'gp-system-1', roles: ['gp-system'], org: 'huisarts-beterschap' };
export const coordinator: TestCaller = { sub: 'coordinator-1', roles: ['coordinator'], org: 'welzijn-beterstad' };
export const anna: TestCaller = { sub: 'coach-anna', roles: ['coach'], org: 'welzijn-beterstad' };
export const elsewhere: TestCaller = { sub: 'coach-zed', roles: ['coach', 'coordinator'], org: 'welzijn-elders' };

const PSEUDONYM_SECRET = 'test-pseudonym-secret';
const at = (date: Date) => date.toISOString();

export const startReferralService = async (options: { transport?: Transport; now?: () => Date } = {}) => {
  const { pool, schema, close } = await freshSchemaPool('referral');
  const prefix = `${uniqueName('t')}.`;
  const transport = options.transport ?? createInProcessTransport();
  const logLines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
  const logger = createLogger('referral', { destination, level: 'debug' });
  const issuer = createDevIssuer();
  const service = await createReferralService({
    pool,
    schema,
    transport,
    logger,
    metrics: createMetrics(),
    authenticate: issuer.authenticate,
    topicPrefix: prefix,
    pseudonymSecret: PSEUDONYM_SECRET,
    masterKey: randomBytes(32),
    now: options.now ?? (() => new Date()),
  });
  await service.start();
  const running = await runService({ app: service.app, port: 0, logger });

  const http = async (
    caller: TestCaller | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const all: Record<string, string> = { 'content-type': 'application/json', ...headers };
    if (caller) all.authorization = `Bearer ${await issuer.sign(caller)}`;
    const response = await fetch(running.url + path, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      contentType: type,
      text,
      body: (type.includes('json') && text ? JSON.parse(text) : undefined) as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    };
  };

  const publish = (topic: string, event: IntegrationEvent) =>
    transport.publish(prefix + topic, [{ key: event.subjectId ?? randomUUID(), value: JSON.stringify(event) }]);

  const envelope = (subjectId: string | null, producer: 'consent' | 'social-map') => ({
    eventId: randomUUID(),
    schemaVersion: 1 as const,
    occurredAt: at(new Date()),
    producer,
    municipality: null,
    subjectId,
  });

  /** A consent of the patient with this BSN for welzijn-beterstad, known to the referral service. */
  const consentFor = async (
    bsn: string,
    over: { purposes?: ('wor-referral' | 'wor-coaching' | 'wor-feedback')[] } = {},
  ) => {
    const consentId = randomUUID();
    await publish(Topics.consent, {
      ...envelope(pseudonymise(bsn, PSEUDONYM_SECRET), 'consent'),
      type: 'ConsentGiven',
      data: {
        consentId,
        recipientOrganisationId: 'welzijn-beterstad',
        purposes: over.purposes ?? ['wor-referral', 'wor-coaching', 'wor-feedback'],
        dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
        validFrom: at(new Date(Date.now() - 86_400_000)),
        validUntil: null,
      },
    });
    return consentId;
  };

  const withdraw = (bsn: string, consentId: string) =>
    publish(Topics.consent, {
      ...envelope(pseudonymise(bsn, PSEUDONYM_SECRET), 'consent'),
      type: 'ConsentWithdrawn',
      data: { consentId, withdrawnAt: at(new Date()) },
    });

  /** The samenwerkingsovereenkomst between the practice and the welfare organisation. */
  const agreement = () =>
    publish(Topics.consent, {
      ...envelope(null, 'consent'),
      type: 'DataSharingAgreementActivated',
      data: {
        agreementId: randomUUID(),
        parties: [
          { organisationId: 'huisarts-beterschap', role: 'joint-controller' },
          { organisationId: 'welzijn-beterstad', role: 'joint-controller' },
        ],
        purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
        dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
        validFrom: at(new Date(Date.now() - 86_400_000)),
        validUntil: null,
        activatedAt: at(new Date()),
      },
    });

  const publishService = async (name: string) => {
    const serviceId = randomUUID();
    await publish(Topics.socialMap, {
      ...envelope(null, 'social-map'),
      type: 'ServicePublished',
      data: { serviceId, organizationId: randomUUID(), name, dimensions: ['meedoen'], publishedAt: at(new Date()) },
    });
    return serviceId;
  };

  const retireService = (serviceId: string) =>
    publish(Topics.socialMap, {
      ...envelope(null, 'social-map'),
      type: 'ServiceRetired',
      data: { serviceId, retiredAt: at(new Date()) },
    });

  return {
    pool,
    schema,
    prefix,
    referrals: service.referrals,
    transport,
    logLines,
    http,
    publish,
    consentFor,
    withdraw,
    agreement,
    publishService,
    retireService,
    url: running.url,
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
