import type { Response } from 'express';
import { SignJWT } from 'jose';
import request from 'supertest';
import { callerOf, createDevIssuer, DEV_TOKEN_SECRET_DEFAULT, requireRole } from './auth';
import { TEST_SECRET, testApp } from './testing/fixtures';

const setup = () =>
  testApp((router) => {
    router.get('/me', (_req, res) => res.json(callerOf(res)));
    router.get('/coaching', requireRole('coach', 'coordinator'), (_req, res) => res.json({ ok: true }));
  });

const expect401 = (res: request.Response) => {
  expect(res.status).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
};

describe('dev issuer authentication', () => {
  it('a valid token yields the caller', async () => {
    const t = setup();
    const res = await request(t.app).get('/me').set('Authorization', `Bearer ${await t.token(['coach', 'admin'])}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ subject: 'user-1', roles: ['coach', 'admin'], organisationId: 'org-1', municipality: 'GM0363' });
  });

  it('carries the municipal-account marker of a municipality\'s own key-user', async () => {
    const t = setup();
    const token = await t.issuer.sign({ sub: 'ku-1', roles: ['key-user'], municipality: 'GM0363', municipalAccount: true });
    const res = await request(t.app).get('/me').set('Authorization', `Bearer ${token}`);
    expect(res.body).toEqual({ subject: 'ku-1', roles: ['key-user'], municipality: 'GM0363', municipalAccount: true });
  });

  it('a missing Authorization header is 401', async () => {
    const res = await request(setup().app).get('/me');
    expect401(res);
    expect(res.headers['www-authenticate']).not.toContain('invalid_token');
  });

  it('a non-bearer Authorization header is 401', async () => {
    expect401(await request(setup().app).get('/me').set('Authorization', 'Basic dXNlcjpwdw=='));
  });

  it('an expired token is 401 (beyond the 30 s clock tolerance)', async () => {
    const t = setup();
    const token = await t.issuer.sign({ sub: 'u', roles: ['coach'] }, new Date(Date.now() - 60_000));
    const res = await request(t.app).get('/me').set('Authorization', `Bearer ${token}`);
    expect401(res);
    expect(res.body.detail).toMatch(/expired/);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
  });

  it('a token expired within the clock tolerance is accepted', async () => {
    const t = setup();
    const token = await t.issuer.sign({ sub: 'u', roles: ['coach'] }, new Date(Date.now() - 10_000));
    expect((await request(t.app).get('/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });

  it('a wrong audience is 401', async () => {
    const t = setup();
    const other = createDevIssuer({ secret: TEST_SECRET, audience: 'someone-else' });
    const token = await other.sign({ sub: 'u', roles: ['coach'] });
    expect401(await request(t.app).get('/me').set('Authorization', `Bearer ${token}`));
  });

  it('a wrong issuer is 401', async () => {
    const t = setup();
    const other = createDevIssuer({ secret: TEST_SECRET, issuer: 'urn:evil' });
    const token = await other.sign({ sub: 'u', roles: ['coach'] });
    expect401(await request(t.app).get('/me').set('Authorization', `Bearer ${token}`));
  });

  it('a bad signature is 401', async () => {
    const t = setup();
    const other = createDevIssuer({ secret: 'another-secret-of-at-least-32-bytes-long!!' });
    const token = await other.sign({ sub: 'u', roles: ['admin'] });
    expect401(await request(t.app).get('/me').set('Authorization', `Bearer ${token}`));
    const good = await t.token();
    const [h, p] = good.split('.');
    expect401(await request(t.app).get('/me').set('Authorization', `Bearer ${h}.${p}.AAAA`));
  });

  it('an unsigned (alg none) token is 401', async () => {
    const t = setup();
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = `${enc({ alg: 'none' })}.${enc({ sub: 'u', roles: ['admin'], iss: t.issuer.issuer, aud: t.issuer.audience, exp })}.`;
    expect401(await request(t.app).get('/me').set('Authorization', `Bearer ${token}`));
  });

  it('malformed claims are 401; unknown roles are dropped', async () => {
    const t = setup();
    const secret = new TextEncoder().encode(TEST_SECRET);
    const base = () =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(t.issuer.issuer).setAudience(t.issuer.audience).setSubject('u').setExpirationTime('5m');
    const noRoles = await base().sign(secret);
    expect401(await request(t.app).get('/me').set('Authorization', `Bearer ${noRoles}`));
    const badMunicipality = await new SignJWT({ roles: ['coach'], municipality: 'Amsterdam' })
      .setProtectedHeader({ alg: 'HS256' }).setIssuer(t.issuer.issuer).setAudience(t.issuer.audience).setSubject('u').setExpirationTime('5m')
      .sign(secret);
    expect401(await request(t.app).get('/me').set('Authorization', `Bearer ${badMunicipality}`));
    const extraRole = await new SignJWT({ roles: ['coach', 'superuser'] })
      .setProtectedHeader({ alg: 'HS256' }).setIssuer(t.issuer.issuer).setAudience(t.issuer.audience).setSubject('u').setExpirationTime('5m')
      .sign(secret);
    const res = await request(t.app).get('/me').set('Authorization', `Bearer ${extraRole}`);
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['coach']);
  });

  it('a missing role is 403, any listed role passes', async () => {
    const t = setup();
    const referrer = await request(t.app).get('/coaching').set('Authorization', `Bearer ${await t.token(['referrer'])}`);
    expect(referrer.status).toBe(403);
    expect(referrer.headers['content-type']).toMatch(/^application\/problem\+json/);
    const coordinator = await request(t.app).get('/coaching').set('Authorization', `Bearer ${await t.token(['coordinator'])}`);
    expect(coordinator.status).toBe(200);
  });

  it('sign refuses unknown roles; the default secret is refused in production', async () => {
    const issuer = createDevIssuer({ secret: TEST_SECRET });
    await expect(issuer.sign({ sub: 'u', roles: ['root' as never] })).rejects.toThrow(/Unknown roles/);
    expect(() => createDevIssuer({ env: { NODE_ENV: 'production' } })).toThrow(/production/);
    expect(() => createDevIssuer({ env: { NODE_ENV: 'production', WOR_DEV_TOKEN_SECRET: TEST_SECRET } })).not.toThrow();
    expect(DEV_TOKEN_SECRET_DEFAULT.length).toBeGreaterThanOrEqual(32);
  });

  it('callerOf without requireCaller is a 401 problem', () => {
    expect(() => callerOf({ locals: {} } as Response)).toThrow(expect.objectContaining({ status: 401 }));
  });
});
