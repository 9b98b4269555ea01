// AVG art. 15 across services, one process per service over Kafka: the privacy officer asks the
// consent service for everything about a person and gets one report, with the referral service's
// part (the referral, its history and its opened personal data) fetched with the officer's own token.
import { randomBytes } from 'node:crypto';
import { databaseUrl, eventually, uniqueName } from '@wor/test-support';
import { startInProcess, type RunningPlatform } from './in-process';
import { SERVICES } from './services';
import { startDistributedPlatform, type DistributedPlatform } from './testing/distributed';
import { dropSchemas, giveConsent, http, privacyOfficer, submitReferral } from './testing/thin-slice';

jest.setTimeout(120_000);

describe('the art. 15 report covers every service (distributed)', () => {
  let distributed: DistributedPlatform;
  beforeAll(async () => {
    distributed = await startDistributedPlatform('sr');
  });
  afterAll(() => distributed?.stop());

  it("contains the referral service's part for a submitted referral, and that service logs the read", async () => {
    const { urls } = distributed.platform;
    const bsn = '135792460';
    const consentId = await giveConsent(urls, bsn);
    const submitted = await submitReferral(urls, consentId, bsn);
    expect(submitted.status).toBe(201);
    const referralId = submitted.body.referralId as string;

    const report = await http(privacyOfficer, 'POST', `${urls.consent}/subject-rights/access-report`, {
      patient: { bsn },
    });
    expect(report.status).toBe(200);
    const body = report.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body.missing).toEqual([]);
    expect(body.services.consent.consents).toEqual([expect.objectContaining({ consentId })]);
    expect(body.services.referral).toMatchObject({
      service: 'referral',
      subjectId: body.subjectId,
      erasure: { erasedAt: null },
    });
    expect(body.services.referral.referrals).toEqual([
      expect.objectContaining({
        referralId,
        status: 'requested',
        reasons: ['eenzaamheid', 'rouw'],
        history: [expect.objectContaining({ type: 'ReferralRequested' })],
        personalData: expect.objectContaining({
          contact: expect.objectContaining({ name: { given: 'Klaas', family: 'Testpersoon' }, phone: '0611111111' }),
        }),
      }),
    ]);
    expect(body.services.referral.accessLog).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: 'gp-system-e2e', action: 'C' })]),
    );
    expect(body.services.reporting.holds).toMatch(/pseudonymous/);

    // The referral service logged the officer's read; through Kafka it reaches the consent service's chain.
    const subjectId = body.subjectId as string;
    const logged = await eventually(
      async () => {
        const next = await http(privacyOfficer, 'POST', `${urls.consent}/subject-rights/access-report`, { subjectId });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const entries = (next.body as Record<string, any>).services.consent.accessLog as {
          producer: string;
          purpose: string;
          userId: string;
          role: string;
        }[];
        return entries.find((e) => e.producer === 'referral' && e.purpose === 'subject-rights');
      },
      30_000,
      "the referral service's log entry of the report",
    );
    expect(logged).toMatchObject({ userId: 'privacy-officer-e2e', role: 'privacy-officer' });
  });
});

describe('the art. 15 report covers every service (embedded, free ports known only once started)', () => {
  let platform: RunningPlatform;
  let url: string;
  const prefix = `${uniqueName('sri')}_`;
  beforeAll(async () => {
    url = await databaseUrl();
    platform = await startInProcess({
      databaseUrl: url,
      secrets: {
        WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
        WOR_MASTER_KEY: randomBytes(32).toString('base64'),
      },
      prefix,
      ports: { referral: 0, consent: 0, 'social-map': 0, reporting: 0 },
    });
  });
  afterAll(async () => {
    await platform?.stop();
    await dropSchemas(
      url,
      SERVICES.map((s) => prefix + s.schema),
    );
  });

  it("contains the referral service's part", async () => {
    const bsn = '135792472';
    const submitted = await submitReferral(platform.urls, await giveConsent(platform.urls, bsn), bsn);
    expect(submitted.status).toBe(201);
    const report = await http(privacyOfficer, 'POST', `${platform.urls.consent}/subject-rights/access-report`, {
      patient: { bsn },
    });
    expect(report.body).toMatchObject({
      missing: [],
      services: { referral: { referrals: [{ referralId: submitted.body.referralId }] } },
    });
  });
});
