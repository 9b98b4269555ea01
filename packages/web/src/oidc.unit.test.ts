// The authorization-code flow against a small stand-in OpenID provider (discovery, authorize, token
// with PKCE check, JWKS): the BFF redirects with state, nonce and an S256 challenge, exchanges the code
// server-side, checks the ID token and reads role and organisation from the access token with the
// services' own verifier. Wrong state, wrong nonce or a foreign browser do not sign in.
import { createOidcAuthenticator } from '@wor/service-kit';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createWebApp, SESSION_COOKIE } from './app';
import { createOidcLogin } from './oidc';
import type { Services } from './services';

describe('OIDC sign-in (authorization code + PKCE)', () => {
  let server: Server;
  let issuer = '';
  let privateKey: KeyLike;
  let nonceToSign: (n: string) => string = (n) => n;
  const codes = new Map<string, { challenge: string; nonce: string }>();
  const calls: string[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const provider = express();
    provider.use(express.urlencoded({ extended: false }));
    provider.get(
      '/.well-known/openid-configuration',
      (_req, res) =>
        void res.json({
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
        }),
    );
    provider.get('/jwks', (_req, res) => void res.json({ keys: [jwk] }));
    provider.post('/token', async (req, res) => {
      const body = req.body as Record<string, string>;
      const entry = codes.get(body.code ?? '');
      const verified =
        entry &&
        createHash('sha256')
          .update(body.code_verifier ?? '')
          .digest('base64url') === entry.challenge;
      const basic = Buffer.from(String(req.headers.authorization).replace('Basic ', ''), 'base64').toString();
      if (!verified || basic !== 'wor-web:geheim' || body.grant_type !== 'authorization_code')
        return void res.status(400).json({ error: 'invalid_grant' });
      calls.push('token');
      const sign = (claims: Record<string, unknown>, audience: string) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setSubject('anna@welzijn')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
      res.json({
        access_token: await sign(
          { roles: ['coach'], org: 'welzijn-beterstad', municipality: 'GM9999' },
          'wor-platform',
        ),
        id_token: await sign({ nonce: nonceToSign(entry.nonce), name: 'Anna de Vries' }, 'wor-web'),
        expires_in: 300,
        token_type: 'Bearer',
      });
    });
    server = await new Promise((resolve) => {
      const s = provider.listen(0, '127.0.0.1', () => resolve(s));
    });
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const setup = () => {
    const seen: string[] = [];
    const services: Services = {
      call: async (token) => (
        seen.push(token),
        {
          status: 200,
          ok: true,
          etag: null,
          contentType: 'application/json',
          contentDisposition: null,
          body: { items: [] },
          text: '',
        }
      ),
    };
    const oidc = createOidcLogin({
      issuer,
      clientId: 'wor-web',
      clientSecret: 'geheim',
      redirectUri: 'https://web.example/aanmelden/oidc',
      authenticate: createOidcAuthenticator({ issuer, audience: 'wor-platform' }),
    });
    const app = createWebApp({ urls: { referral: '', consent: '', 'social-map': '', reporting: '' }, services, oidc });
    /** What the provider does after the user signs in there: send the browser back with a code. */
    const authorize = async (back = '') => {
      const start = await request(app).get(`/aanmelden${back ? `?terug=${encodeURIComponent(back)}` : ''}`);
      expect(start.status).toBe(302);
      const url = new URL(start.headers.location!);
      const q = Object.fromEntries(url.searchParams);
      const code = `code-${q.state!.slice(0, 8)}`;
      codes.set(code, { challenge: q.code_challenge!, nonce: q.nonce! });
      return { url, q, code, loginCookie: String(start.headers['set-cookie']).split(';')[0]! };
    };
    return { app, seen, authorize };
  };

  it('sends the browser to the provider with state, nonce and an S256 challenge; no demo sign-in', async () => {
    const { app, authorize } = setup();
    const { url, q, loginCookie } = await authorize();
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer}/authorize`);
    expect(q).toMatchObject({
      response_type: 'code',
      client_id: 'wor-web',
      redirect_uri: 'https://web.example/aanmelden/oidc',
      scope: 'openid profile',
      code_challenge_method: 'S256',
    });
    expect(q.state).toMatch(/^[\w-]{32}$/);
    expect(loginCookie).toBe(`wor_login=${q.state}`);
    expect(
      (await request(app).post('/aanmelden').type('form').send({ user: 'coach-anna' })).headers['set-cookie'],
    ).toBeUndefined();
  });

  it('exchanges the code and signs the user in with the roles of the access token, which goes to the services', async () => {
    const { app, seen, authorize } = setup();
    const { q, code, loginCookie } = await authorize('/werkvoorraad?lijst=organisatie');
    const back = await request(app).get(`/aanmelden/oidc?code=${code}&state=${q.state}`).set('cookie', loginCookie);
    expect(back.status).toBe(200);
    expect(back.text).toContain('url=/werkvoorraad?lijst=organisatie');
    const session = String(back.headers['set-cookie']).match(new RegExp(`${SESSION_COOKIE}=[^;]+`))![0];
    expect(String(back.headers['set-cookie'])).toContain('HttpOnly; SameSite=Strict');
    const page = await request(app).get('/werkvoorraad').set('cookie', session);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Anna de Vries');
    // The queue and the organisation's capacity: each call carries the access token.
    expect(seen).toHaveLength(2);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).toMatch(/^eyJ/);
  });

  it("refuses an answer without the browser's login cookie, a replayed state, or an ID token for another attempt", async () => {
    const { app, authorize } = setup();
    const first = await authorize();
    expect((await request(app).get(`/aanmelden/oidc?code=${first.code}&state=${first.q.state}`)).status).toBe(401);
    // The state is used up even by the failed attempt.
    expect(
      (
        await request(app)
          .get(`/aanmelden/oidc?code=${first.code}&state=${first.q.state}`)
          .set('cookie', first.loginCookie)
      ).status,
    ).toBe(401);

    nonceToSign = () => 'another-nonce';
    try {
      const second = await authorize();
      const res = await request(app)
        .get(`/aanmelden/oidc?code=${second.code}&state=${second.q.state}`)
        .set('cookie', second.loginCookie);
      expect(res.status).toBe(401);
      expect(res.text).toContain('Aanmelden is niet gelukt');
      expect(res.headers['set-cookie']).toBeUndefined();
    } finally {
      nonceToSign = (n) => n;
    }
  });
});
