// The hostile-input probes of issue 16 (findings 5, 6 and 7), each as it was sent, against all four
// services: a NUL, a lone surrogate, bytes that are not UTF-8, an over-long field or a BSN that fails
// the elfproef is refused as the caller's error (422, 400, 415 or 401), never a 500, and stores nothing.
import { randomUUID } from 'node:crypto';
import { call, errorMediaType, type Platform, type ServiceName, startPlatform } from './platform';
import { agreeAndConsent, callerFor, ORG, referralBody, type Seed, submitReferral } from './world';

jest.setTimeout(120_000);

const seed: Seed = {
  bsn: '111222333',
  given: 'Hostiel',
  family: 'Invoer',
  phone: '0611122233',
  email: 'hostiel@example.org',
  urgencyNote: 'probe',
};
const officer = callerFor('privacy-officer', 'own');
const gp = callerFor('gp-system', 'own');
const coordinator = callerFor('coordinator', 'own');

let platform: Platform;
let referralId: string;
let consentId: string;
beforeAll(async () => {
  platform = await startPlatform({ logLevel: 'warn' });
  ({ consentId } = await agreeAndConsent(platform, seed.bsn));
  referralId = (await submitReferral(platform, consentId, seed)).body.referralId as string;
});
afterAll(async () => {
  await platform?.stop();
});

/** Sends the probe and expects `status` in the interface's error format, with no event stored by the service. */
const refused = async (
  service: ServiceName,
  status: number,
  send: () => Promise<Awaited<ReturnType<typeof call>>>,
): Promise<Record<string, unknown>> => {
  const before = await platform.eventCount(service);
  const r = await send();
  expect(r.status).toBe(status);
  expect(r.contentType).toMatch(errorMediaType(new URL(r.url).pathname));
  expect(await platform.eventCount(service)).toBe(before);
  return r.body;
};

const paths = (body: Record<string, unknown>) => (body.errors as { path: string }[]).map((e) => e.path);

describe('finding 5: NUL characters', () => {
  it('POST /referrals/{id}/coach with coachId "coach-\\u0000anna" is 422 naming coachId', async () => {
    const body = await refused('referral', 422, () =>
      call(coordinator, 'POST', `${platform.urls.referral}/referrals/${referralId}/coach`, {
        coachId: 'coach-\u0000anna',
      }),
    );
    expect(paths(body)).toEqual(['coachId']);
  });

  it('GET /access-log?userId=%00a is 422 naming userId', async () => {
    const body = await refused('consent', 422, () =>
      call(officer, 'GET', `${platform.urls.consent}/access-log?userId=%00a`),
    );
    expect(paths(body)).toEqual(['userId']);
  });

  it('POST /access-log/search with userId "a\\u0000b" is 422 naming userId', async () => {
    const body = await refused('consent', 422, () =>
      call(officer, 'POST', `${platform.urls.consent}/access-log/search`, { userId: 'a\u0000b' }),
    );
    expect(paths(body)).toEqual(['userId']);
  });

  it('POST /services with a NUL in the name is 422 naming name', async () => {
    const body = await refused('social-map', 422, () =>
      call(callerFor('key-user', 'own'), 'POST', `${platform.urls['social-map']}/services`, {
        id: randomUUID(),
        organization_id: randomUUID(),
        name: 'Wandel\u0000groep',
        description: 'Samen wandelen.',
      }),
    );
    expect(paths(body)).toEqual(['name']);
  });

  it('POST /agreements with a NUL in the title is 422 naming title', async () => {
    const body = await refused('consent', 422, () =>
      call(officer, 'POST', `${platform.urls.consent}/agreements`, { agreementId: randomUUID(), title: 'a\u0000b' }),
    );
    expect(paths(body)).toEqual(['title']);
  });

  it('a token whose sub holds a NUL is 401 on the personal-details read and on a step', async () => {
    const nulCoordinator = { ...coordinator, sub: 'coordinator-\u0000own' };
    await refused('referral', 401, () =>
      call(nulCoordinator, 'GET', `${platform.urls.referral}/referrals/${referralId}/personal-details`),
    );
    await refused('referral', 401, () =>
      call(nulCoordinator, 'POST', `${platform.urls.referral}/referrals/${referralId}/accept`, {}),
    );
  });

  it('a lone surrogate in a body field or a path parameter is 422', async () => {
    expect(
      paths(
        await refused('referral', 422, () =>
          call(coordinator, 'POST', `${platform.urls.referral}/referrals/${referralId}/coach`, '{"coachId":"\\ud83d"}'),
        ),
      ),
    ).toEqual(['coachId']);
    expect(
      paths(
        await refused('referral', 422, () =>
          call(coordinator, 'GET', `${platform.urls.referral}/referrals/%ED%A0%BD/personal-details`),
        ),
      ),
    ).toEqual(['referralId']);
  });
});

/** `{"…": "<prefix><C3 28 FF FE>"}` inside an otherwise valid JSON body. */
const withInvalidUtf8 = (body: unknown, marker: string): Buffer => {
  const [before, after] = JSON.stringify(body).split(marker) as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(after)]);
};

describe('finding 6: invalid UTF-8', () => {
  it("bytes C3 28 FF FE in a patient's name are 400, not stored as U+FFFD", async () => {
    const body = referralBody(consentId, { ...seed, given: 'MARKER' });
    await refused('referral', 400, () =>
      call(gp, 'POST', `${platform.urls.referral}/referrals`, withInvalidUtf8(body, 'MARKER')),
    );
  });

  it("bytes C3 28 FF FE in a consent's document reference are 400", async () => {
    const body = {
      patient: { bsn: '555555550' },
      recipientOrganisationId: ORG.own.welfare,
      purposes: ['wor-referral'],
      dataCategories: ['contact-details'],
      evidence: { method: 'signed', documentReference: 'MARKER' },
    };
    await refused('consent', 400, () =>
      call(gp, 'POST', `${platform.urls.consent}/consents`, withInvalidUtf8(body, 'MARKER')),
    );
  });

  it('a body in another charset is 415', async () => {
    await refused('consent', 415, () =>
      call(gp, 'POST', `${platform.urls.consent}/consents`, '{}', {
        'content-type': 'application/json; charset=iso-8859-1',
      }),
    );
  });
});

describe('finding 7: input limits and the elfproef', () => {
  it('a 90 kB patient.email is 422 naming patient.email', async () => {
    const body = referralBody(consentId, { ...seed, email: `${'a'.repeat(90_000)}@example.org` });
    expect(
      paths(await refused('referral', 422, () => call(gp, 'POST', `${platform.urls.referral}/referrals`, body))),
    ).toContain('patient.email');
  });

  it('BSN 123456789 (fails the elfproef) is 422 on consents, referrals, access decisions and subject rights', async () => {
    const bsn = '123456789';
    const probes: [ServiceName, () => Promise<Awaited<ReturnType<typeof call>>>][] = [
      [
        'consent',
        () =>
          call(gp, 'POST', `${platform.urls.consent}/consents`, {
            patient: { bsn },
            recipientOrganisationId: ORG.own.welfare,
            purposes: ['wor-referral'],
            dataCategories: ['contact-details'],
            evidence: { method: 'signed' },
          }),
      ],
      [
        'referral',
        () => call(gp, 'POST', `${platform.urls.referral}/referrals`, referralBody(consentId, { ...seed, bsn })),
      ],
      [
        'consent',
        () =>
          call(gp, 'POST', `${platform.urls.consent}/access-decisions`, {
            patient: { bsn },
            organisationId: ORG.own.welfare,
            partnerOrganisationId: ORG.own.practice,
            purpose: 'wor-referral',
            dataCategory: 'contact-details',
          }),
      ],
      [
        'consent',
        () => call(officer, 'POST', `${platform.urls.consent}/subject-rights/access-report`, { patient: { bsn } }),
      ],
      [
        'consent',
        () =>
          call(gp, 'POST', `${platform.urls.consent}/fhir/Consent`, {
            resourceType: 'Consent',
            status: 'active',
            patient: { identifier: { system: 'http://fhir.nl/fhir/NamingSystem/bsn', value: bsn } },
            provision: { type: 'permit' },
          }),
      ],
    ];
    for (const [service, send] of probes) {
      const body = await refused(service, 422, send);
      // problem+json's errors or the OperationOutcome's diagnostics name the elfproef.
      expect(JSON.stringify(body)).toMatch(/elfproef/);
    }
  });
});
