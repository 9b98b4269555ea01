// The thin slice as a GP system, a key-user and a reporting consumer would drive it, over HTTP.
// Shared by the embedded (in-process transport) and the distributed (Kafka, processes) tests.
import { createDevIssuer, type Role } from '@wor/service-kit';
import { eventually, servedDocumentValidator } from '@wor/test-support';
import { Client } from 'pg';
import type { ServiceUrls } from '../services';

const issuer = createDevIssuer();

export type Caller = { sub: string; roles: Role[]; org?: string; municipality?: string; municipalAccount?: boolean };

// Every answer is checked against the OpenAPI document its service serves.
const documented = servedDocumentValidator();

export const http = async (caller: Caller | undefined, method: string, url: string, body?: unknown) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (caller) headers.authorization = `Bearer ${await issuer.sign(caller)}`;
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const parsed = text ? JSON.parse(text) : undefined;
  await documented(url, { method, status: response.status, contentType, body: parsed });
  return {
    status: response.status,
    contentType,
    body: parsed as Record<string, unknown> & { detail?: string },
  };
};

export const gp: Caller = { sub: 'gp-system-e2e', roles: ['gp-system'], org: 'huisarts-e2e' };
export const keyUser: Caller = {
  sub: 'key-user-e2e',
  roles: ['key-user'],
  municipality: 'GM0001',
  municipalAccount: true,
};
export const reportingConsumer: Caller = { sub: 'reporter-e2e', roles: ['reporting-consumer'], municipality: 'GM0001' };
/** Exact monthly counts are the coordinator's; reporting consumers see suppressed aggregates only. */
export const coordinator: Caller = {
  sub: 'coordinator-e2e',
  roles: ['coordinator'],
  org: 'welzijn-e2e',
  municipality: 'GM0001',
};

export const patient = (bsn: string) => ({
  bsn,
  name: { given: 'Klaas', family: 'Testpersoon' },
  birthDate: '1950-02-03',
  sex: 'male',
  phone: '0611111111',
  email: 'klaas@example.org',
});

export const privacyOfficer: Caller = { sub: 'privacy-officer-e2e', roles: ['privacy-officer'] };
const E2E_AGREEMENT = 'a9e2e000-0000-4000-8000-000000000001';
const agreed = new Set<string>();

/** Sharing needs an active data-sharing agreement between the practice and the welfare organisation. */
export const ensureAgreement = async (urls: ServiceUrls) => {
  if (agreed.has(urls.consent)) return;
  const drafted = await http(privacyOfficer, 'POST', `${urls.consent}/agreements`, {
    agreementId: E2E_AGREEMENT,
    kind: 'samenwerkingsovereenkomst',
    title: 'Welzijn op Recept e2e',
    parties: [
      { organisationId: 'huisarts-e2e', role: 'joint-controller' },
      { organisationId: 'welzijn-e2e', role: 'joint-controller' },
    ],
    legalBasis: { article6: 'a-consent', article9Exception: 'a-explicit-consent' },
    purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
    dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
    recipientOrganisationIds: ['huisarts-e2e', 'welzijn-e2e'],
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: null,
    retentionMonths: 24,
    processingRegisterReference: 'VWA-E2E',
  });
  expect([201, 409]).toContain(drafted.status);
  expect([200, 409]).toContain(
    (await http(privacyOfficer, 'POST', `${urls.consent}/agreements/${E2E_AGREEMENT}/activate`)).status,
  );
  agreed.add(urls.consent);
};

export const giveConsent = async (urls: ServiceUrls, bsn: string) => {
  await ensureAgreement(urls);
  const response = await http(gp, 'POST', `${urls.consent}/consents`, {
    patient: { bsn },
    recipientOrganisationId: 'welzijn-e2e',
    purposes: ['wor-referral'],
    dataCategories: ['contact-details', 'referral-reason'],
    evidence: { method: 'signed', documentReference: 'doc-1' },
  });
  expect(response.status).toBe(201);
  return response.body.consentId as string;
};

export const referralBody = (consentId: string, bsn: string) => ({
  consentId,
  patient: patient(bsn),
  municipality: 'GM0001',
  practiceId: 'huisarts-e2e',
  recipientOrganisationId: 'welzijn-e2e',
  referrerRole: 'poh-ggz',
  reasons: ['eenzaamheid', 'rouw'],
});

/** Submits until the referral service's consent view has caught up (it learns consent by events). */
export const submitReferral = (urls: ServiceUrls, consentId: string, bsn: string) =>
  eventually(
    async () => {
      const response = await http(gp, 'POST', `${urls.referral}/referrals`, referralBody(consentId, bsn));
      if (
        response.status === 403 &&
        /unknown to the referral service|data-sharing agreement/.test(response.body.detail ?? '')
      )
        return undefined;
      return response;
    },
    30_000,
    'the consent to reach the referral service',
  );

export const referralCount = async (urls: ServiceUrls): Promise<number> => {
  const response = await http(coordinator, 'GET', `${urls.reporting}/referral-counts?municipality=GM0001`);
  expect(response.status).toBe(200);
  const months = response.body.months as { referrals: number }[];
  return months.reduce((sum, m) => sum + m.referrals, 0);
};

/** Rows in a schema's table, read straight from PostgreSQL to prove what was (not) stored. */
export const countRows = async (databaseUrl: string, table: string): Promise<number> => {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
};

export const dropSchemas = async (databaseUrl: string, schemas: string[]): Promise<void> => {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
};
