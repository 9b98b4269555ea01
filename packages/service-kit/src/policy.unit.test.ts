import request from 'supertest';
import type { Caller } from './auth';
import {
  decidePolicy,
  enforcePolicies,
  policyCoverage,
  policyMatcher,
  registeredRoutes,
  type PolicyTable,
} from './policy';
import { testApp } from './testing/fixtures';

const table: PolicyTable = {
  'GET /things/stale': { roles: ['key-user'], scope: 'municipality' },
  'GET /things/:id': { roles: ['coach', 'coordinator'], scope: 'organisation', unscoped: ['admin'] },
  'POST /things': { roles: ['admin'], scope: 'none', auditDenied: 'things' },
  'GET /public': { roles: 'authenticated', scope: 'none' },
  'GET /fhir/Task/:id/$feedback': { roles: ['coach'], scope: 'none' },
};

const caller = (c: Partial<Caller>): Caller => ({ subject: 's', roles: [], ...c });

describe('policyMatcher', () => {
  const match = policyMatcher(table);
  it('finds the policy of a request by method and route pattern', () => {
    expect(match('GET', '/things/42')?.key).toBe('GET /things/:id');
    expect(match('HEAD', '/things/42/')?.key).toBe('GET /things/:id');
    expect(match('GET', '/fhir/Task/7/$feedback')?.key).toBe('GET /fhir/Task/:id/$feedback');
  });
  it('prefers a literal route over a parameterised one', () => {
    expect(match('GET', '/things/stale')?.key).toBe('GET /things/stale');
  });
  it('has nothing for other methods, deeper paths or unknown paths', () => {
    expect(match('DELETE', '/things/42')).toBeUndefined();
    expect(match('GET', '/things/42/more')).toBeUndefined();
    expect(match('GET', '/fhir/Task/7/xfeedback')).toBeUndefined();
    expect(match('GET', '/nope')).toBeUndefined();
  });
});

describe('decidePolicy', () => {
  it('denies a caller without one of the roles', () => {
    expect(decidePolicy(table['GET /things/:id']!, caller({ roles: ['gp-system'], organisationId: 'o' })).allowed).toBe(
      false,
    );
  });
  it('denies a scoped endpoint to a token without the claim, unless the role acts across', () => {
    expect(decidePolicy(table['GET /things/:id']!, caller({ roles: ['coach'] }))).toMatchObject({
      allowed: false,
      status: 403,
    });
    expect(decidePolicy(table['GET /things/:id']!, caller({ roles: ['coach'], organisationId: 'o' })).allowed).toBe(
      true,
    );
    expect(
      decidePolicy(table['GET /things/stale']!, caller({ roles: ['key-user'], organisationId: 'o' })).allowed,
    ).toBe(false);
    expect(
      decidePolicy(table['GET /things/stale']!, caller({ roles: ['key-user'], municipality: 'GM0001' })).allowed,
    ).toBe(true);
  });
  it('lets any authenticated role through a public endpoint', () => {
    expect(decidePolicy(table['GET /public']!, caller({ roles: ['reporting-consumer'] })).allowed).toBe(true);
  });
});

describe('enforcePolicies', () => {
  const denied: string[] = [];
  const t = testApp((router) => {
    router.use(enforcePolicies(table, { onDenied: async ({ match }) => void denied.push(match.key) }));
    router.get('/things/stale', (_req, res) => void res.json({ stale: true }));
    router.get('/things/:id', (req, res) => void res.json({ id: req.params.id }));
    router.post('/things', (_req, res) => void res.status(201).json({}));
    router.get('/public', (_req, res) => void res.json({}));
    // Registered, but without a policy: nobody reaches it.
    router.get('/forgotten', (_req, res) => void res.json({ leaked: true }));
  });
  const as = async (roles: string[]) => `Bearer ${await t.token(roles)}`;

  it('lets an allowed role through', async () => {
    const res = await request(t.app)
      .get('/things/9')
      .set('Authorization', await as(['coach']));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: '9' });
  });

  it('denies a missing role with 403 problem+json, and audits when the policy says so', async () => {
    const res = await request(t.app)
      .post('/things')
      .set('Authorization', await as(['coach']))
      .send({});
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toBe('This needs one of the roles: admin.');
    expect(denied).toEqual(['POST /things']);
    expect(
      (
        await request(t.app)
          .get('/things/9')
          .set('Authorization', await as(['gp-system']))
      ).status,
    ).toBe(403);
  });

  it('denies by default: a route without a policy is 404 for every role', async () => {
    for (const roles of [['admin'], ['coach'], ['privacy-officer']]) {
      const res = await request(t.app)
        .get('/forgotten')
        .set('Authorization', await as(roles));
      expect(res.status).toBe(404);
      expect(res.body.leaked).toBeUndefined();
    }
  });

  it('still asks for a token first', async () => {
    expect((await request(t.app).get('/things/9')).status).toBe(401);
  });

  it('finds the registered routes and reports unpoliced routes and stale policies', () => {
    const routes = registeredRoutes(t.app);
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/things/:id' },
        { method: 'GET', path: '/health' },
      ]),
    );
    expect(policyCoverage(table, routes)).toEqual({
      unpoliced: ['GET /forgotten'],
      stale: ['GET /fhir/Task/:id/$feedback'],
    });
  });
});
