import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { Response } from 'express';
import { createLocalJWKSet, type JWTPayload, SignJWT } from 'jose';
import request from 'supertest';
import { callerOf, requireRole } from './auth';
import {
  createDevIssuer,
  devIssuerKey,
  devIssuerKeyFromSecret,
  devIssuerKeyPair,
  generateDevIssuerKey,
} from './dev-issuer';
import { callerFromClaims, createJwtAuthenticator } from './jwt-verifier';
import { TEST_SECRET, testApp } from './testing/fixtures';

const setup = () =>
  testApp((router) => {
    router.get('/me', (_req, res) => res.json(callerOf(res)));
    router.get('/coaching', requireRole('coach', 'coordinator'), (_req, res) => res.json({ ok: true }));
  });

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token with any payload, signed with the test issuer's own private key. */
const signRaw = async (_t: ReturnType<typeof setup>, payload: JWTPayload, kid?: string) => {
  const { privateKey, publicJwk } = devIssuerKeyPair(devIssuerKeyFromSecret(TEST_SECRET));
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: kid ?? publicJwk.kid }).sign(privateKey);
};

const valid = (t: ReturnType<typeof setup>, overrides: JWTPayload = {}): JWTPayload => ({
  sub: 'u',
  roles: ['coach'],
  iss: t.issuer.issuer,
  aud: t.issuer.audience,
  exp: nowSeconds() + 600,
  ...overrides,
});

const INTERNAL_WORDS = /\b(jws|jwt|jose|claims?|signature|alg|aud|iss|exp|nbf|kid|keys?|stack)\b|at .*\.[jt]s/i;

/** 401 problem+json, `error="invalid_token"`, and a detail that names no check, key or library. */
const expectInvalidToken = async (t: ReturnType<typeof setup>, token: string, detail = 'The token is invalid.') => {
  const res = await request(t.app).get('/me').set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  expect(res.body).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, detail });
  expect(res.body.detail).not.toMatch(INTERNAL_WORDS);
};

describe('bearer token authentication (dev issuer, verified through its JWKS)', () => {
  it('a valid token yields the caller', async () => {
    const t = setup();
    const res = await request(t.app)
      .get('/me')
      .set('Authorization', `Bearer ${await t.token(['coach', 'admin'])}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      subject: 'user-1',
      roles: ['coach', 'admin'],
      organisationId: 'org-1',
      municipality: 'GM0363',
    });
  });

  it("carries the municipal-account marker of a municipality's own key-user", async () => {
    const t = setup();
    const token = await t.issuer.sign({
      sub: 'ku-1',
      roles: ['key-user'],
      municipality: 'GM0363',
      municipalAccount: true,
    });
    const res = await request(t.app).get('/me').set('Authorization', `Bearer ${token}`);
    expect(res.body).toEqual({ subject: 'ku-1', roles: ['key-user'], municipality: 'GM0363', municipalAccount: true });
  });

  it('signs ES256 with a key id that its JWKS publishes (public half only)', async () => {
    const t = setup();
    const token = await t.token();
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: 'ES256', kid: t.issuer.jwks.keys[0]!.kid });
    expect(t.issuer.jwks.keys).toHaveLength(1);
    expect(t.issuer.jwks.keys[0]).not.toHaveProperty('d');
  });

  it('a missing Authorization header is 401 without invalid_token', async () => {
    const res = await request(setup().app).get('/me');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="wor-platform"');
  });

  it('a non-bearer Authorization header is 401', async () => {
    const res = await request(setup().app).get('/me').set('Authorization', 'Basic dXNlcjpwdw==');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('an expired token is 401 (beyond the 30 s clock tolerance)', async () => {
    const t = setup();
    const token = await t.issuer.sign({ sub: 'u', roles: ['coach'] }, new Date(Date.now() - 60_000));
    await expectInvalidToken(t, token, 'The token has expired.');
  });

  it('a token expired within the clock tolerance is accepted', async () => {
    const t = setup();
    const token = await t.issuer.sign({ sub: 'u', roles: ['coach'] }, new Date(Date.now() - 10_000));
    expect((await request(t.app).get('/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });

  it('a token not yet valid is 401 (nbf beyond the tolerance); within it, accepted', async () => {
    const t = setup();
    await expectInvalidToken(t, await signRaw(t, valid(t, { nbf: nowSeconds() + 120 })));
    const soon = await signRaw(t, valid(t, { nbf: nowSeconds() + 10 }));
    expect((await request(t.app).get('/me').set('Authorization', `Bearer ${soon}`)).status).toBe(200);
  });

  it('a token without an expiry is 401', async () => {
    const t = setup();
    const { exp: _, ...noExp } = valid(t);
    await expectInvalidToken(t, await signRaw(t, noExp));
  });

  it('a wrong audience is 401', async () => {
    const t = setup();
    const other = createDevIssuer({ secret: TEST_SECRET, audience: 'someone-else' });
    await expectInvalidToken(t, await other.sign({ sub: 'u', roles: ['coach'] }));
  });

  it('a wrong issuer is 401', async () => {
    const t = setup();
    const other = createDevIssuer({ secret: TEST_SECRET, issuer: 'urn:evil' });
    await expectInvalidToken(t, await other.sign({ sub: 'u', roles: ['coach'] }));
  });

  it('a bad signature is 401: another key, a forged signature, a changed payload, an unknown key id', async () => {
    const t = setup();
    const other = createDevIssuer({ secret: 'another-secret-of-at-least-32-bytes-long!!' });
    await expectInvalidToken(t, await other.sign({ sub: 'u', roles: ['admin'] }));
    const [h, p, s] = (await t.token()).split('.');
    await expectInvalidToken(t, `${h}.${p}.AAAA`);
    await expectInvalidToken(t, `${h}.${b64({ ...valid(t), roles: ['admin'] })}.${s}`);
    await expectInvalidToken(t, await signRaw(t, valid(t), 'unknown-kid'));
  });

  it('an unsigned (alg none) token is 401', async () => {
    const t = setup();
    await expectInvalidToken(t, `${b64({ alg: 'none' })}.${b64(valid(t, { roles: ['admin'] }))}.`);
    await expectInvalidToken(t, `${b64({ alg: 'none', typ: 'JWT' })}.${b64(valid(t, { roles: ['admin'] }))}`);
  });

  it('HS256 signed with the public key (algorithm confusion) is 401', async () => {
    const t = setup();
    const jwk = t.issuer.jwks.keys[0]!;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    for (const secret of [pem, JSON.stringify(jwk), Buffer.from(jwk.x!, 'base64url').toString('latin1')]) {
      const forged = await new SignJWT(valid(t, { roles: ['admin'] }))
        .setProtectedHeader({ alg: 'HS256', kid: jwk.kid })
        .sign(new TextEncoder().encode(secret));
      await expectInvalidToken(t, forged);
    }
  });

  it('a token signed with an allowed algorithm but a key outside the JWKS is 401', async () => {
    const t = setup();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expectInvalidToken(t, await new SignJWT(valid(t)).setProtectedHeader({ alg: 'RS256' }).sign(privateKey));
  });

  it('missing or malformed claims are 401: sub, roles, municipality, municipal_account', async () => {
    const t = setup();
    const { sub: _s, ...noSub } = valid(t);
    const { roles: _r, ...noRoles } = valid(t);
    for (const payload of [
      noSub,
      valid(t, { sub: '' }),
      valid(t, { sub: 42 as never }),
      noRoles,
      valid(t, { roles: [] }),
      valid(t, { roles: 'coach' as never }),
      valid(t, { roles: ['coach', 7] as never }),
      valid(t, { municipality: 'Amsterdam' }),
      valid(t, { municipal_account: 'yes' }),
      valid(t, { org: '' }),
    ])
      await expectInvalidToken(t, await signRaw(t, payload));
  });

  it('an unknown role is 401: issuer and platform disagree about roles, so fail closed', async () => {
    const t = setup();
    await expectInvalidToken(t, await signRaw(t, valid(t, { roles: ['coach', 'superuser'] })));
  });

  it('garbage in the Authorization header is 401, never 500 or 503', async () => {
    const t = setup();
    for (const token of ['abc', 'a.b.c', '..', '...', `${b64({ alg: 'ES256' })}..`, 'e30.e30.e30', 'x'.repeat(5000)])
      await expectInvalidToken(t, token);
  });

  it('a missing role is 403, any listed role passes', async () => {
    const t = setup();
    const referrer = await request(t.app)
      .get('/coaching')
      .set('Authorization', `Bearer ${await t.token(['referrer'])}`);
    expect(referrer.status).toBe(403);
    expect(referrer.headers['content-type']).toMatch(/^application\/problem\+json/);
    const coordinator = await request(t.app)
      .get('/coaching')
      .set('Authorization', `Bearer ${await t.token(['coordinator'])}`);
    expect(coordinator.status).toBe(200);
  });

  it('callerOf without authentication is a 401 problem', () => {
    expect(() => callerOf({ locals: {} } as Response)).toThrow(expect.objectContaining({ status: 401 }));
  });
});

describe('dev issuer keys', () => {
  it('sign refuses unknown roles; the issuer is refused in production', async () => {
    const issuer = createDevIssuer({ secret: TEST_SECRET });
    await expect(issuer.sign({ sub: 'u', roles: ['root' as never] })).rejects.toThrow(/Unknown roles/);
    expect(() => createDevIssuer({ env: { NODE_ENV: 'production' } })).toThrow(/production/);
    expect(() => createDevIssuer({ key: generateDevIssuerKey(), env: { NODE_ENV: 'production' } })).toThrow(
      /production/,
    );
  });

  it('every createDevIssuer() of a process shares one key; WOR_DEV_ISSUER_KEY shares it across processes', async () => {
    const a = createDevIssuer({ env: {} });
    const b = createDevIssuer({ env: {} });
    const caller = await b.authenticate({
      headers: { authorization: `Bearer ${await a.sign({ sub: 'u', roles: ['coach'] })}` },
    } as never);
    expect(caller.subject).toBe('u');
    expect(devIssuerKey({})).toBe(devIssuerKey({}));
    // Also across two copies of this package in one process (sources and a build).
    let other: typeof import('./dev-issuer') | undefined;
    jest.isolateModules(() => {
      other = jest.requireActual<typeof import('./dev-issuer')>('./dev-issuer');
    });
    expect(other!.devIssuerKey({})).toBe(devIssuerKey({}));

    const key = generateDevIssuerKey();
    const fromEnv = createDevIssuer({ env: { WOR_DEV_ISSUER_KEY: key } });
    expect(fromEnv.jwks).toEqual(createDevIssuer({ key }).jwks);
    expect(fromEnv.jwks).not.toEqual(a.jwks);
    expect(devIssuerKey({ WOR_DEV_ISSUER_KEY: key })).toBe(key);
  });

  it('issuers from the same secret agree, from different secrets not', () => {
    expect(createDevIssuer({ secret: 'one-secret' }).jwks).toEqual(createDevIssuer({ secret: 'one-secret' }).jwks);
    expect(createDevIssuer({ secret: 'one-secret' }).jwks).not.toEqual(createDevIssuer({ secret: 'two-secret' }).jwks);
  });

  it('takes the key as base64url or as a private JWK, and rejects anything else', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = privateKey.export({ format: 'jwk' });
    const fromJwk = devIssuerKeyPair(JSON.stringify(jwk));
    const fromD = devIssuerKeyPair(jwk.d!);
    expect(fromJwk.publicJwk).toEqual(fromD.publicJwk);
    expect(fromD.publicJwk).toMatchObject({ x: jwk.x, y: jwk.y, alg: 'ES256' });
    expect(() => devIssuerKeyPair('too-short')).toThrow(/base64url/);
    expect(() => devIssuerKeyPair(Buffer.alloc(32, 0xff).toString('base64url'))).toThrow(); // ≥ group order
    expect(() => devIssuerKeyPair('{"kty":"oct","k":"AAAA"}')).toThrow(/P-256/);
  });
});

describe('algorithm allow-list', () => {
  it('a verifier cannot be built with none, HS* or no algorithm at all', () => {
    const keys = createLocalJWKSet(createDevIssuer({ secret: TEST_SECRET }).jwks);
    for (const algorithms of [['none'], ['HS256'], ['ES256', 'HS512'], []])
      expect(() =>
        createJwtAuthenticator({ issuer: 'i', audience: 'a', keys, algorithms: algorithms as never }),
      ).toThrow(/asymmetric/);
    expect(() => createJwtAuthenticator({ issuer: 'i', audience: 'a', keys, algorithms: ['ES256'] })).not.toThrow();
  });
});

describe('claim mapping', () => {
  it('reads roles from a configurable (nested) claim, e.g. Keycloak realm roles with a prefix', () => {
    const payload = {
      sub: 'svc-gp',
      realm_access: { roles: ['offline_access', 'default-roles-wor', 'wor-gp-system'] },
      org: 'huisarts-1',
    };
    expect(callerFromClaims(payload, { rolesClaim: 'realm_access.roles', rolePrefix: 'wor-' })).toEqual({
      subject: 'svc-gp',
      roles: ['gp-system'],
      organisationId: 'huisarts-1',
    });
    // Without a prefix, Keycloak's own realm roles are unknown roles: refused.
    expect(callerFromClaims(payload, { rolesClaim: 'realm_access.roles' })).toBeUndefined();
    // Client roles hold only the platform's roles.
    const client = { sub: 's', resource_access: { 'wor-platform': { roles: ['coach', 'coach'] } } };
    expect(callerFromClaims(client, { rolesClaim: 'resource_access.wor-platform.roles' })?.roles).toEqual(['coach']);
    expect(
      callerFromClaims({ sub: 's', roles: ['coach'], __proto__: { x: 1 } }, { rolesClaim: 'constructor.name' }),
    ).toBeUndefined();
  });
});
