import request from 'supertest';
import { callerOf } from './auth';
import { ConfigError } from './config';
import { httpSecurityFromEnv } from './http-security';
import { testApp } from './testing/fixtures';

const routes = (router: import('express').Router) => {
  router.get('/me', (_req, res) => res.json({ subject: callerOf(res).subject }));
  router.get('/cached', (_req, res) => res.setHeader('Cache-Control', 'private, max-age=60').json({ ok: true }));
  router.post('/things', (_req, res) => res.status(201).json({ ok: true }));
};

describe('security headers', () => {
  const expectApiHeaders = (res: request.Response) => {
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers['cross-origin-resource-policy']).toBe('same-site');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  };

  it('every response carries them: authenticated, rejected, probes, unknown routes', async () => {
    const t = testApp(routes);
    const ok = await request(t.app)
      .get('/me')
      .set('Authorization', `Bearer ${await t.token()}`);
    expect(ok.status).toBe(200);
    expectApiHeaders(ok);
    expect(ok.headers['cache-control']).toBe('no-store');
    for (const res of [
      await request(t.app).get('/me'),
      await request(t.app).get('/health'),
      await request(t.app).get('/nope'),
    ])
      expectApiHeaders(res);
  });

  it('a route may set its own Cache-Control', async () => {
    const t = testApp(routes);
    const res = await request(t.app)
      .get('/cached')
      .set('Authorization', `Bearer ${await t.token()}`);
    expect(res.headers['cache-control']).toBe('private, max-age=60');
  });

  it('HSTS only over TLS: not on plain HTTP, yes when a trusted proxy reports https', async () => {
    const direct = testApp(routes);
    const token = await direct.token();
    const plain = await request(direct.app)
      .get('/me')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Forwarded-Proto', 'https');
    expect(plain.headers['strict-transport-security']).toBeUndefined(); // no proxy trusted: the header is ignored
    const proxied = testApp(routes, { security: { trustProxy: 'loopback' } });
    const tls = await request(proxied.app)
      .get('/me')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Forwarded-Proto', 'https');
    expect(tls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('CORS', () => {
  const preflight = (app: import('express').Express, origin: string) =>
    request(app)
      .options('/things')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type');

  it('denies by default: no CORS headers, a preflight is 403', async () => {
    const t = testApp(routes);
    const res = await request(t.app)
      .get('/me')
      .set('Origin', 'https://evil.example')
      .set('Authorization', `Bearer ${await t.token()}`);
    expect(res.status).toBe(200); // not a browser: bearer tokens are no ambient credential, nothing to forge
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await preflight(t.app, 'https://evil.example');
    expect(pre.status).toBe(403);
    expect(pre.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows listed origins: preflight without a token, then the request', async () => {
    const t = testApp(routes, { security: { corsOrigins: ['https://app.wor.example'] } });
    const pre = await preflight(t.app, 'https://app.wor.example');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://app.wor.example');
    expect(pre.headers['access-control-allow-methods']).toContain('POST');
    expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    expect(pre.headers.vary).toMatch(/Origin/);
    const res = await request(t.app)
      .post('/things')
      .set('Origin', 'https://app.wor.example')
      .set('Authorization', `Bearer ${await t.token()}`)
      .send({});
    expect(res.status).toBe(201);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.wor.example');
    expect(res.headers['access-control-expose-headers']).toMatch(/Location/);
    expect((await preflight(t.app, 'https://app.wor.example.evil.example')).status).toBe(403);
    expect((await preflight(t.app, 'http://app.wor.example')).status).toBe(403);
  });
});

describe('rate limit per client', () => {
  it('429 problem+json with Retry-After once a subject spends its burst; other clients unaffected', async () => {
    const t = testApp(routes, { security: { rateLimit: { perMinute: 60, burst: 3 } } });
    const alice = await t.issuer.sign({ sub: 'alice', roles: ['coach'] });
    const bob = await t.issuer.sign({ sub: 'bob', roles: ['coach'] });
    for (let i = 0; i < 3; i++)
      expect((await request(t.app).get('/me').set('Authorization', `Bearer ${alice}`)).status).toBe(200);
    const limited = await request(t.app).get('/me').set('Authorization', `Bearer ${alice}`);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(10); // the burst window
    expect(limited.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect((await request(t.app).get('/me').set('Authorization', `Bearer ${bob}`)).status).toBe(200);
  });

  it('requests without a valid token are charged to the IP address', async () => {
    const t = testApp(routes, { security: { rateLimit: { perMinute: 60, burst: 2 } } });
    expect((await request(t.app).get('/me').set('Authorization', 'Bearer guess-1')).status).toBe(401);
    expect((await request(t.app).get('/me')).status).toBe(401);
    expect((await request(t.app).get('/me').set('Authorization', 'Bearer guess-3')).status).toBe(429);
    // A valid token is its own client.
    expect(
      (
        await request(t.app)
          .get('/me')
          .set('Authorization', `Bearer ${await t.token()}`)
      ).status,
    ).toBe(200);
  });

  it('probes are never limited', async () => {
    const t = testApp(routes, { security: { rateLimit: { perMinute: 60, burst: 1 } } });
    for (let i = 0; i < 5; i++) expect((await request(t.app).get('/health')).status).toBe(200);
  });

  it('the sustained limit holds per minute, beyond the burst', async () => {
    const t = testApp(routes, { security: { rateLimit: { perMinute: 2, burst: 5 } } });
    const token = await t.token();
    const get = () => request(t.app).get('/me').set('Authorization', `Bearer ${token}`);
    expect([(await get()).status, (await get()).status]).toEqual([200, 200]);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(10);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers.ratelimit).toBeDefined(); // IETF RateLimit header for clients that pace themselves
  });
});

describe('HTTP security configuration', () => {
  it('defaults: no CORS origins, a rate limit, no trusted proxy', () => {
    expect(httpSecurityFromEnv({})).toEqual({
      corsOrigins: [],
      rateLimit: { perMinute: 3000, burst: 500 },
      trustProxy: undefined,
    });
    expect(
      httpSecurityFromEnv({
        CORS_ORIGINS: 'https://a.example, http://localhost:5173',
        RATE_LIMIT_PER_MINUTE: '0',
        TRUST_PROXY: '1',
      }),
    ).toEqual({ corsOrigins: ['https://a.example', 'http://localhost:5173'], rateLimit: undefined, trustProxy: 1 });
  });

  it('names bad settings: origins with a path or a wildcard, a proxy trusted blindly', () => {
    for (const env of [
      { CORS_ORIGINS: 'https://a.example/' },
      { CORS_ORIGINS: '*' },
      { TRUST_PROXY: 'true' },
      { RATE_LIMIT_PER_MINUTE: '-1' },
    ])
      expect(() => httpSecurityFromEnv(env)).toThrow(ConfigError);
  });
});
