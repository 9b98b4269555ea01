// Starts the consent service on a fresh schema with a real PostgreSQL, over HTTP, for integration tests.
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { createInProcessTransport, createKafkaTransport, type Transport } from '@wor/messaging';
import { createDevIssuer, createLogger, runService, serviceDeps, serviceSettings, type Role } from '@wor/service-kit';
import { freshSchemaPool, kafkaBrokers, responseValidator, uniqueName } from '@wor/test-support';
import { consentOpenApi } from '../openapi';
import { createConsentService } from '../service';

export type TestCaller = { sub: string; roles: Role[]; org?: string };
export const officer: TestCaller = { sub: 'po-1', roles: ['privacy-officer'] };
export const gp: TestCaller = { sub: 'gp-system-1', roles: ['gp-system'], org: 'huisarts-beterschap' };

export const startConsentService = async (
  options: { kafka?: boolean; now?: () => Date; env?: Record<string, string> } = {},
) => {
  const { pool, schema, close } = await freshSchemaPool('consent');
  const prefix = `${uniqueName('t')}.`;
  const transport: Transport = options.kafka
    ? createKafkaTransport({ brokers: await kafkaBrokers(), clientId: uniqueName('consent-test') })
    : createInProcessTransport();
  // Every log line is kept, so tests can prove what never reaches the logs.
  const logLines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
  const logger = createLogger('consent', { destination, level: 'debug' });
  const issuer = createDevIssuer();
  const masterKey = randomBytes(32);
  const service = await createConsentService(
    serviceDeps({
      pool,
      schema,
      transport,
      logger,
      authenticate: issuer.authenticate,
      topicPrefix: prefix,
      pseudonymSecret: 'test-pseudonym-secret',
      masterKey,
      ...(options.now ? { now: options.now } : {}),
      settings: serviceSettings(createConsentService, options.env ?? {}),
    }),
  );
  await service.start();
  const running = await runService({ app: service.app, port: 0, logger });
  // Every answer any test gets is checked against the OpenAPI document: the document cannot drift.
  const documented = responseValidator(consentOpenApi);

  const http = async (caller: TestCaller | undefined, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (caller) headers.authorization = `Bearer ${await issuer.sign(caller)}`;
    const response = await fetch(running.url + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && text ? JSON.parse(text) : undefined;
    documented({ method, url: path, status: response.status, contentType: type, body: parsed ?? text });
    return {
      status: response.status,
      contentType: type,
      text,
      body: parsed as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    };
  };

  return {
    pool,
    schema,
    prefix,
    transport,
    masterKey,
    logLines,
    http,
    url: running.url,
    app: service.app,
    stop: async () => {
      await running.close();
      await service.stop();
      await transport.close();
      await close();
    },
  };
};
export type ConsentServiceUnderTest = Awaited<ReturnType<typeof startConsentService>>;

export const consentBody = (bsn: string, over: Record<string, unknown> = {}) => ({
  patient: { bsn },
  recipientOrganisationIds: ['welzijn-beterstad'],
  purposes: ['wor-referral'],
  dataCategories: ['contact-details', 'referral-reason'],
  evidence: { method: 'signed', documentReference: 'scan-toestemming-0042' },
  ...over,
});

export const agreementBody = (agreementId: string, over: Record<string, unknown> = {}) => ({
  agreementId,
  kind: 'samenwerkingsovereenkomst',
  title: 'Welzijn op Recept Beterstad',
  parties: [
    { organisationId: 'huisarts-beterschap', role: 'joint-controller' },
    { organisationId: 'welzijn-beterstad', role: 'joint-controller' },
  ],
  legalBasis: { article6: 'a-consent', article9Exception: 'a-explicit-consent' },
  purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
  dataCategories: ['contact-details', 'referral-reason'],
  recipientOrganisationIds: ['welzijn-beterstad', 'huisarts-beterschap'],
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: null,
  retentionMonths: 24,
  processingRegisterReference: 'VWA-2026-017',
  ...over,
});
