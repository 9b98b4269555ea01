// Issue 16 finding 8: an organisation that is no party to a real consent or agreement gets the very
// 404 an unknown id gets, and the attempt is in the denied-access log with the reason "not a party".
import { randomUUID } from 'node:crypto';
import {
  agreementBody,
  consentBody,
  gp,
  officer,
  startConsentService,
  type ConsentServiceUnderTest,
  type TestCaller,
} from '../testing/harness';

const otherGp: TestCaller = { sub: 'gp-elders-1', roles: ['gp-system'], org: 'huisarts-elders' };
const otherCoordinator: TestCaller = { sub: 'coordinator-elders-1', roles: ['coordinator'], org: 'welzijn-elders' };

describe('probes on another organisation’s consents and agreements (real PostgreSQL)', () => {
  let svc: ConsentServiceUnderTest;
  let consentId: string;
  let agreementId: string;
  beforeAll(async () => {
    svc = await startConsentService();
    const consent = await svc.http(gp, 'POST', '/consents', consentBody('100000150'));
    expect(consent.status).toBe(201);
    consentId = consent.body.consentId as string;
    agreementId = randomUUID();
    expect((await svc.http(officer, 'POST', '/agreements', agreementBody(agreementId))).status).toBe(201);
  });
  afterAll(() => svc.stop());

  const denials = async (userId: string, resourceId: string) => {
    const { rows } = await svc.pool.query(
      `SELECT entry FROM access_log WHERE entry->>'outcome' = 'denied' AND entry->>'userId' = $1
         AND entry->'resource'->>'id' = $2 ORDER BY seq`,
      [userId, resourceId],
    );
    return rows.map((r) => r.entry as Record<string, unknown>);
  };
  const answer = (r: Awaited<ReturnType<ConsentServiceUnderTest['http']>>) => ({ status: r.status, body: r.body });

  const consentPutBody = (id: string) => ({ resourceType: 'Consent', id, status: 'active' });
  it.each([
    ['GET /consents/{id}', 'GET', (id: string) => `/consents/${id}`, undefined, 'consent', 'R'],
    ['POST /consents/{id}/withdraw', 'POST', (id: string) => `/consents/${id}/withdraw`, {}, 'consent', 'U'],
    ['GET /fhir/Consent/{id}', 'GET', (id: string) => `/fhir/Consent/${id}`, undefined, 'Consent', 'R'],
    ['PUT /fhir/Consent/{id}', 'PUT', (id: string) => `/fhir/Consent/${id}`, consentPutBody, 'Consent', 'U'],
  ] as const)('%s: 404 as for an unknown id, logged as "not a party"', async (_n, method, path, body, type, action) => {
    const bodyFor = (id: string) => (typeof body === 'function' ? body(id) : body);
    const before = (await denials(otherGp.sub, consentId)).length;
    const real = await svc.http(otherGp, method, path(consentId), bodyFor(consentId));
    const unknownId = randomUUID();
    const unknown = await svc.http(otherGp, method, path(unknownId), bodyFor(unknownId));
    expect(real.status).toBe(404);
    expect(answer(real)).toEqual(answer(unknown));
    const logged = await denials(otherGp.sub, consentId);
    expect(logged).toHaveLength(before + 1);
    expect(logged.at(-1)).toMatchObject({
      action,
      reason: 'not a party',
      organisationId: otherGp.org,
      resource: { type, id: consentId },
      subjectId: expect.stringMatching(/^sub_/),
    });
    expect(await denials(otherGp.sub, unknownId)).toEqual([]);
  });

  it('GET /agreements/{id}: 404 as for an unknown id, logged as "not a party"', async () => {
    const real = await svc.http(otherCoordinator, 'GET', `/agreements/${agreementId}`);
    const unknown = await svc.http(otherCoordinator, 'GET', `/agreements/${randomUUID()}`);
    expect(real.status).toBe(404);
    expect(answer(real)).toEqual(answer(unknown));
    expect(await denials(otherCoordinator.sub, agreementId)).toEqual([
      expect.objectContaining({
        reason: 'not a party',
        organisationId: otherCoordinator.org,
        resource: { type: 'agreement', id: agreementId },
      }),
    ]);
  });
});
