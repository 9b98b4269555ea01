import { randomUUID } from 'node:crypto';
import { Topics } from '@wor/contracts';
import { createPostgresEventStore } from '@wor/event-store-postgres';
import { eventually, uniqueName } from '@wor/test-support';
import {
  agreementBody,
  consentBody,
  gp,
  officer,
  startConsentService,
  type ConsentServiceUnderTest,
} from '../testing/harness';
import { expireDueAgreements } from './api';

describe('agreements expire at their end date (real PostgreSQL)', () => {
  let svc: ConsentServiceUnderTest;
  let clock = new Date('2026-11-23T10:00:00Z');
  beforeAll(async () => {
    svc = await startConsentService({ now: () => clock });
  });
  afterAll(() => svc.stop());

  it('the sweep expires an agreement past its end; sharing stops and other services hear of it', async () => {
    const published: { type: string; data: { agreementId?: string; how?: string } }[] = [];
    await svc.transport.subscribe({
      groupId: uniqueName('tap'),
      topics: [svc.prefix + Topics.consent],
      handle: async (m) => void published.push(JSON.parse(m.value)),
    });
    const agreementId = randomUUID();
    await svc.http(officer, 'POST', '/agreements', agreementBody(agreementId, { validUntil: '2026-12-31T00:00:00Z' }));
    await svc.http(officer, 'POST', `/agreements/${agreementId}/activate`);
    await svc.http(gp, 'POST', '/consents', consentBody('555555550'));
    const question = {
      patient: { bsn: '555555550' },
      organisationId: 'welzijn-beterstad',
      partnerOrganisationId: 'huisarts-beterschap',
      purpose: 'wor-referral',
      dataCategory: 'contact-details',
    };
    expect((await svc.http(gp, 'POST', '/access-decisions', question)).body.decision.permitted).toBe(true);

    const store = createPostgresEventStore({ pool: svc.pool, schema: svc.schema });
    expect(await expireDueAgreements(svc.pool, store, clock)).toBe(0); // not yet
    clock = new Date('2027-01-02T00:00:00Z');
    expect(await expireDueAgreements(svc.pool, store, clock)).toBe(1);
    await eventually(
      async () =>
        (await svc.http(officer, 'GET', `/agreements/${agreementId}`)).body.status === 'expired' ? true : undefined,
      20_000,
      'the projection',
    );
    expect((await svc.http(officer, 'GET', `/agreements/${agreementId}`)).body).toMatchObject({
      status: 'expired',
      endedAt: '2026-12-31T00:00:00.000Z',
    });
    // The practice is no longer entitled to ask (no consent oracle); the privacy officer sees why.
    expect((await svc.http(gp, 'POST', '/access-decisions', question)).status).toBe(403);
    expect((await svc.http(officer, 'POST', '/access-decisions', question)).body.decision).toMatchObject({
      permitted: false,
      checks: { consent: true, agreement: false },
    });
    await eventually(
      async () => published.find((e) => e.type === 'DataSharingAgreementEnded'),
      20_000,
      'DataSharingAgreementEnded',
    );
    expect(published.find((e) => e.type === 'DataSharingAgreementEnded')?.data).toMatchObject({
      agreementId,
      how: 'expired',
    });
    expect(published.find((e) => e.type === 'DataSharingAgreementActivated')?.data).toMatchObject({ agreementId });
  });
});
