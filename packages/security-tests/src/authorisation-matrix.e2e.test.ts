// The authorisation matrix, generated from the services' policy tables: every endpoint × every role
// × own and other organisation/municipality, the verdict predicted by the same `decide` the
// middleware uses. Then object level: real ids of organisation A probed by organisation B.
import {
  decidePolicy,
  policyCoverage,
  registeredRoutes,
  type Caller,
  type DevTokenClaims,
  type EndpointPolicy,
  parsePolicyKey,
  rolesOf,
} from '@wor/service-kit';
import { randomUUID } from 'node:crypto';
import { call, detailOf, errorMediaType, type Platform, SERVICES, startPlatform } from './platform';
import { agreeAndConsent, callerFor, ORG, ROLES, scores, SIDES, submitReferral, type Seed } from './world';

jest.setTimeout(120_000);

const asCaller = (c: DevTokenClaims): Caller => ({
  subject: c.sub,
  roles: c.roles,
  ...(c.org ? { organisationId: c.org } : {}),
  ...(c.municipality ? { municipality: c.municipality } : {}),
  ...(c.municipalAccount ? { municipalAccount: true } : {}),
});

/** A concrete path for a route pattern: every parameter an id that exists nowhere. */
const concrete = (path: string): string => path.replace(/:[A-Za-z]+/g, () => randomUUID());
const ROLE_DENIAL = /needs one of the roles|lacks a role/;

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

describe.each(SERVICES.map((s) => [s.name, s] as const))('%s: the policy table', (name, service) => {
  it('covers every registered route, and every policy names a registered route', () => {
    expect(policyCoverage(service.policies, registeredRoutes(platform.services[name].app))).toEqual({
      unpoliced: [],
      stale: [],
    });
  });

  it('answers a path without a policy with 404 problem+json', async () => {
    const r = await call(callerFor('admin', 'own'), 'GET', `${platform.urls[name]}/no-policy-here/${randomUUID()}`);
    expect(r.status).toBe(404);
    expect(r.contentType).toMatch(/application\/problem\+json/);
  });

  const endpoints = Object.entries(service.policies) as [string, EndpointPolicy][];
  it.each(endpoints)('%s: every role, own and other, as the policy says; no token is 401', async (key, policy) => {
    const { method, path } = parsePolicyKey(key);
    const url = `${platform.urls[name]}${concrete(path)}`;
    const body = method === 'GET' || method === 'DELETE' ? undefined : {};
    const anonymous = await call(undefined, method, url, body);
    expect(anonymous.status).toBe(401);
    const verdicts: string[] = [];
    for (const role of ROLES)
      for (const side of SIDES) {
        const caller = callerFor(role, side);
        const expected = decidePolicy(policy, asCaller(caller));
        const r = await call(caller, method, url, body);
        expect(r.status).toBeLessThan(500);
        if (!expected.allowed) {
          // The middleware's 403, before any handler ran.
          expect({ role, side, status: r.status, detail: detailOf(r.body) }).toEqual({
            role,
            side,
            status: 403,
            detail: expected.detail,
          });
          expect(r.contentType).toMatch(errorMediaType(path));
        } else {
          // Past the policy; whatever the handler answers (404 for the unknown id, 422 for {}), never a role denial.
          expect({
            role,
            side,
            denied: r.status === 401 || (r.status === 403 && ROLE_DENIAL.test(String(detailOf(r.body)))),
          }).toEqual({ role, side, denied: false });
        }
        verdicts.push(`${role}/${side}:${expected.allowed ? 'allow' : 'deny'}`);
      }
    // Sanity: the table's roles are exactly those let through (claims given).
    expect(verdicts.filter((v) => v.endsWith('own:allow')).map((v) => v.split('/')[0])).toEqual(
      ROLES.filter((r) => rolesOf(policy).includes(r)),
    );
  });

  it('a token without organisation or municipality claims is refused on every scoped endpoint', async () => {
    for (const [key, policy] of endpoints) {
      if (policy.scope === 'none') continue;
      const { method, path } = parsePolicyKey(key);
      for (const role of rolesOf(policy).filter((r) => !(policy.unscoped ?? []).includes(r))) {
        const r = await call(
          { sub: `${role}-unscoped`, roles: [role] },
          method,
          `${platform.urls[name]}${concrete(path)}`,
          method === 'GET' ? undefined : {},
        );
        expect({ key, role, status: r.status }).toEqual({ key, role, status: 403 });
      }
    }
  });
});

describe('object level: organisation B probing organisation A', () => {
  const seed: Seed = {
    bsn: '111222333',
    given: 'Objectina',
    family: 'Scoopmans',
    phone: '0687654321',
    email: 'objectina@example.org',
    urgencyNote: 'Object level',
  };
  let referralId: string;
  let consentId: string;
  let agreementId: string;
  let etag: string;

  beforeAll(async () => {
    ({ consentId, agreementId } = await agreeAndConsent(platform, seed.bsn));
    const submitted = await submitReferral(platform, consentId, seed);
    referralId = submitted.body.referralId as string;
    etag = submitted.etag!;
  });

  const leaks = (text: string) =>
    [seed.bsn, seed.family, seed.phone, seed.email, seed.urgencyNote].filter((v) => text.includes(v));

  it('A itself reads its referral (the control)', async () => {
    const r = await call(callerFor('gp-system', 'own'), 'GET', `${platform.urls.referral}/referrals/${referralId}`);
    expect(r.status).toBe(200);
    const details = await call(
      callerFor('coordinator', 'own'),
      'GET',
      `${platform.urls.referral}/referrals/${referralId}/personal-details`,
    );
    expect(details.status).toBe(200);
    expect(leaks(details.text)).toEqual(expect.arrayContaining([seed.family, seed.phone, seed.email]));
  });

  /** Valid bodies, so the only reason left to refuse is whose referral it is. */
  const validBody: Record<string, unknown> = {
    accept: {},
    reject: { reason: 'no-capacity' },
    coach: { coachId: 'coach-other' },
    'contact-attempts': { reached: true },
    intake: { heldOn: '2026-11-01', positiveHealth: scores(5), goals: [{ text: 'Doel', baseline: -1 }] },
    activities: { serviceId: randomUUID() },
    hold: { reason: 'patient-request' },
    resume: {},
    complete: { outcome: 'goals-reached', gasScores: [], coachHours: 1 },
    fail: { reason: 'declined', coachHours: 1 },
    cancel: {},
    'entered-in-error': {},
    'declared-read': { reason: 'vervanging' },
  };

  it("every referral endpoint with A's referral id refuses every role of B (404 or 403, never the data)", async () => {
    const service = SERVICES.find((s) => s.name === 'referral')!;
    let probes = 0;
    for (const [key, policy] of Object.entries(service.policies)) {
      const { method, path } = parsePolicyKey(key);
      if (!/:(referralId|id)/.test(path)) continue;
      const url = `${platform.urls.referral}${path.replace(/:(referralId|id)/, referralId)}`;
      for (const role of rolesOf(policy)) {
        const body = method === 'GET' ? undefined : (validBody[path.split('/').pop()!] ?? {});
        const r = await call(callerFor(role, 'other'), method, url, body, { 'if-match': etag });
        expect({
          key,
          role,
          status: [403, 404].includes(r.status) ? 'refused' : r.status,
          leaks: leaks(r.text),
        }).toEqual({ key, role, status: 'refused', leaks: [] });
        // No referral status in the answer (an OperationOutcome's narrative status is no data).
        expect(r.text.replace(/"text":\{"status":"generated"/g, '')).not.toContain('"status":"');
        probes += 1;
      }
    }
    expect(probes).toBeGreaterThan(20);
    // Nothing changed: A's referral is at the version it was.
    expect(
      (await call(callerFor('gp-system', 'own'), 'GET', `${platform.urls.referral}/referrals/${referralId}`)).etag,
    ).toBe(etag);
  });

  it("B's searches, queues and feedback lists never include A's referral", async () => {
    const probes: [DevTokenClaims, string][] = [
      [callerFor('coach', 'other'), '/work-queues/mine'],
      [callerFor('coordinator', 'other'), '/work-queues/organisation'],
      [callerFor('coordinator', 'other'), '/fhir/Task'],
      [callerFor('gp-system', 'other'), '/fhir/Task'],
      [callerFor('gp-system', 'other'), `/fhir/Communication?part-of=Task/${referralId}`],
    ];
    for (const [caller, path] of probes) {
      const r = await call(caller, 'GET', `${platform.urls.referral}${path}`);
      expect(r.status).toBeLessThan(500);
      expect({ path, found: r.text.includes(referralId) }).toEqual({ path, found: false });
    }
    // The control: A's coordinator finds it in the queue.
    const own = await call(
      callerFor('coordinator', 'own'),
      'GET',
      `${platform.urls.referral}/work-queues/organisation`,
    );
    expect(own.text).toContain(referralId);
  });

  it("B's GP system cannot read or withdraw A's consent", async () => {
    for (const role of ['gp-system', 'referrer'] as const) {
      for (const [method, path] of [
        ['GET', `/consents/${consentId}`],
        ['GET', `/fhir/Consent/${consentId}`],
        ['POST', `/consents/${consentId}/withdraw`],
        ['PUT', `/fhir/Consent/${consentId}`],
      ] as const) {
        const body =
          method === 'PUT'
            ? { resourceType: 'Consent', id: consentId, status: 'inactive' }
            : method === 'POST'
              ? {}
              : undefined;
        const r = await call(callerFor(role, 'other'), method, `${platform.urls.consent}${path}`, body);
        expect({
          role,
          path,
          refused: [403, 404].includes(r.status),
          leaks: leaks(r.text),
          consent: r.text.includes('recipientOrganisationIds'),
        }).toEqual({ role, path, refused: true, leaks: [], consent: false });
      }
    }
    // The control: A's practice reads it, and it is still active.
    const own = await call(callerFor('gp-system', 'own'), 'GET', `${platform.urls.consent}/consents/${consentId}`);
    expect({ status: own.status, consent: own.body.status }).toEqual({ status: 200, consent: 'active' });
    expect(
      (await call(callerFor('referrer', 'own'), 'GET', `${platform.urls.consent}/fhir/Consent/${consentId}`)).status,
    ).toBe(200);
  });

  it("B sees none of A's data-sharing agreements", async () => {
    const consent = platform.urls.consent;
    for (const role of ['gp-system', 'coordinator'] as const) {
      const r = await call(callerFor(role, 'other'), 'GET', `${consent}/agreements/${agreementId}`);
      expect({ role, status: r.status }).toEqual({ role, status: 404 });
    }
    for (const query of ['', `?organisationId=${ORG.own.welfare}`]) {
      const list = await call(callerFor('coordinator', 'other'), 'GET', `${consent}/agreements${query}`);
      expect({ query, status: list.status, found: list.text.includes(agreementId) }).toEqual({
        query,
        status: 200,
        found: false,
      });
    }
    // The control: A's coordinator and GP system see it.
    expect((await call(callerFor('coordinator', 'own'), 'GET', `${consent}/agreements`)).text).toContain(agreementId);
    expect((await call(callerFor('gp-system', 'own'), 'GET', `${consent}/agreements/${agreementId}`)).status).toBe(200);
  });

  it("a key-user of another municipality cannot change A's map", async () => {
    const keeper = callerFor('key-user', 'own');
    const organizationId = randomUUID();
    const serviceId = randomUUID();
    const sm = platform.urls['social-map'];
    expect(
      (
        await call(keeper, 'POST', `${sm}/organizations`, {
          id: organizationId,
          name: 'Welzijn Sec A',
          description: 'Welzijnsorganisatie A.',
        })
      ).status,
    ).toBe(201);
    const created = await call(keeper, 'POST', `${sm}/services`, {
      id: serviceId,
      organization_id: organizationId,
      name: 'Wandelgroep A',
      description: 'Samen wandelen.',
    });
    expect(created.status).toBe(201);
    const other = callerFor('key-user', 'other');
    for (const [method, path, body] of [
      [
        'PUT',
        `/services/${serviceId}`,
        { id: serviceId, organization_id: organizationId, name: 'Overgenomen', description: 'x' },
      ],
      ['POST', `/services/${serviceId}/capacity`, { capacity_status: 'full' }],
      ['POST', `/services/${serviceId}/review`, {}],
      ['POST', `/services/${serviceId}/retire`, {}],
      ['GET', `/services/${serviceId}/history`, undefined],
      ['PUT', `/organizations/${organizationId}`, { id: organizationId, name: 'Overgenomen', description: 'x' }],
      ['GET', `/organizations/${organizationId}/history`, undefined],
    ] as const) {
      const r = await call(other, method, `${sm}${path}`, body);
      expect({ path, method, status: r.status }).toEqual({ path, method, status: 403 });
    }
    expect((await call(keeper, 'GET', `${sm}/services/${serviceId}`)).body.name).toBe('Wandelgroep A');
  });

  it("a reporting consumer sees only its own municipality's aggregates", async () => {
    const rep = platform.urls.reporting;
    const m = ORG.own.municipality;
    const reads = [
      `/referral-counts?municipality=${m}`,
      `/practices?municipality=${m}`,
      `/dashboards/trends?municipality=${m}&year=2026`,
      `/extracts/gala?municipality=${m}&period=2026`,
    ];
    for (const path of reads) {
      const r = await call(callerFor('reporting-consumer', 'other'), 'GET', `${rep}${path}`);
      expect({ path, status: r.status }).toEqual({ path, status: 403 });
    }
    const own = await call(
      callerFor('reporting-consumer', 'own'),
      'GET',
      `${rep}/extracts/gala?municipality=${m}&period=2026`,
    );
    expect(own.status).toBe(200);
    // Exact counts are not for reporting consumers, not even of their own municipality.
    expect(
      (await call(callerFor('reporting-consumer', 'own'), 'GET', `${rep}/referral-counts?municipality=${m}`)).status,
    ).toBe(403);
    const write = await call(
      callerFor('reporting-consumer', 'other'),
      'PUT',
      `${rep}/practices/${ORG.own.practice}/list-size`,
      { municipality: m, registeredPatients: 1 },
    );
    expect(write.status).toBe(403);
  });
});
