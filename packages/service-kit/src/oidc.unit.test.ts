// The production verifier against a stand-in OIDC provider on loopback HTTP: discovery document,
// JWKS endpoint, tokens from its own keys (ES256 dev issuer key and an RS256 key).
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import { type JWK, SignJWT } from 'jose';
import { ConfigError, loadConfig } from './config';
import { createDevIssuer, devIssuerKeyPair, generateDevIssuerKey } from './dev-issuer';
import { HttpProblem } from './problem';
import { AuthEnv, authenticatorFromEnv, createOidcAuthenticator } from './oidc';

type Provider = {
  base: string;
  issuer: string;
  keys: JWK[];
  discoveryIssuer?: string;
  requests: string[];
  server: Server;
};

const startProvider = async (): Promise<Provider> => {
  const provider = { keys: [] as JWK[], requests: [] as string[] } as unknown as Provider;
  provider.server = createServer((req, res) => {
    provider.requests.push(req.url ?? '');
    const json = (body: unknown) => res.setHeader('content-type', 'application/json').end(JSON.stringify(body));
    if (req.url === '/realms/wor/.well-known/openid-configuration')
      return json({
        issuer: provider.discoveryIssuer ?? provider.issuer,
        jwks_uri: `${provider.base}/realms/wor/certs`,
      });
    if (req.url === '/realms/wor/certs') return json({ keys: provider.keys });
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
  provider.base = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
  provider.issuer = `${provider.base}/realms/wor`;
  return provider;
};

const req = (token: string) => ({ headers: { authorization: `Bearer ${token}` } }) as Request;

const rejection = async (promise: Promise<unknown>): Promise<HttpProblem> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpProblem);
  return error as HttpProblem;
};

describe('OIDC verifier (discovery and remote JWKS)', () => {
  let provider: Provider;
  beforeEach(async () => {
    provider = await startProvider();
  });
  afterEach(async () => {
    provider.server.closeAllConnections();
    await new Promise((resolve) => provider.server.close(resolve));
  });

  it('finds the JWKS through discovery and accepts ES256 and RS256 tokens of the provider', async () => {
    const es = createDevIssuer({ key: generateDevIssuerKey(), issuer: provider.issuer, audience: 'wor-api' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    provider.keys = [
      ...es.jwks.keys,
      { ...(rsa.publicKey.export({ format: 'jwk' }) as JWK), kid: 'rsa-1', alg: 'RS256' },
    ];
    const authenticate = createOidcAuthenticator({ issuer: provider.issuer, audience: 'wor-api' });

    const caller = await authenticate(req(await es.sign({ sub: 'coach-1', roles: ['coach'], org: 'welzijn-1' })));
    expect(caller).toEqual({ subject: 'coach-1', roles: ['coach'], organisationId: 'welzijn-1' });

    // A GP system with the client-credentials grant: the subject is the client.
    const machine = await new SignJWT({ roles: ['gp-system'], org: 'huisarts-1', azp: 'gp-system-his' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setSubject('service-account-gp-system-his')
      .setIssuer(provider.issuer)
      .setAudience('wor-api')
      .setExpirationTime('5m')
      .sign(rsa.privateKey);
    expect(await authenticate(req(machine))).toEqual({
      subject: 'service-account-gp-system-his',
      roles: ['gp-system'],
      organisationId: 'huisarts-1',
    });
    expect(provider.requests).toEqual(['/realms/wor/.well-known/openid-configuration', '/realms/wor/certs']);
  });

  it('maps Keycloak realm roles with a claim path and a prefix', async () => {
    const key = generateDevIssuerKey();
    const es = createDevIssuer({ key, issuer: provider.issuer, audience: 'wor-api' });
    provider.keys = [...es.jwks.keys];
    const token = await new SignJWT({ realm_access: { roles: ['offline_access', 'wor-coordinator'] } })
      .setProtectedHeader({ alg: 'ES256', kid: es.jwks.keys[0]!.kid! })
      .setSubject('kc-user-1')
      .setIssuer(provider.issuer)
      .setAudience('wor-api')
      .setExpirationTime('5m')
      .sign(devIssuerKeyPair(key).privateKey);
    const authenticate = createOidcAuthenticator({
      issuer: provider.issuer,
      audience: 'wor-api',
      jwksUrl: `${provider.base}/realms/wor/certs`,
      rolesClaim: 'realm_access.roles',
      rolePrefix: 'wor-',
    });
    expect((await authenticate(req(token))).roles).toEqual(['coordinator']);
    expect(provider.requests).toEqual(['/realms/wor/certs']); // no discovery with an explicit JWKS URL
  });

  it('a token of another issuer or audience is 401 even when its key is in the JWKS', async () => {
    const other = createDevIssuer({ key: generateDevIssuerKey(), issuer: 'https://evil.example', audience: 'wor-api' });
    const wrongAudience = createDevIssuer({
      key: generateDevIssuerKey(),
      issuer: provider.issuer,
      audience: 'other-api',
    });
    provider.keys = [...other.jwks.keys, ...wrongAudience.jwks.keys];
    const authenticate = createOidcAuthenticator({ issuer: provider.issuer, audience: 'wor-api' });
    for (const token of [
      await other.sign({ sub: 'u', roles: ['admin'] }),
      await wrongAudience.sign({ sub: 'u', roles: ['admin'] }),
    ])
      expect((await rejection(authenticate(req(token)))).status).toBe(401);
  });

  it('a provider that cannot be reached, or whose discovery names another issuer, is 503; it recovers', async () => {
    const es = createDevIssuer({ key: generateDevIssuerKey(), issuer: provider.issuer, audience: 'wor-api' });
    provider.keys = [...es.jwks.keys];
    const token = await es.sign({ sub: 'u', roles: ['coach'] });

    provider.discoveryIssuer = 'https://someone-else.example';
    const authenticate = createOidcAuthenticator({ issuer: provider.issuer, audience: 'wor-api' });
    const mismatch = await rejection(authenticate(req(token)));
    expect(mismatch.status).toBe(503);
    expect(mismatch.headers['Retry-After']).toBeDefined();
    provider.discoveryIssuer = undefined;
    expect((await authenticate(req(token))).subject).toBe('u'); // discovery retried after a failure

    const unreachable = createOidcAuthenticator({
      issuer: 'http://127.0.0.1:1/realms/wor',
      audience: 'wor-api',
      timeoutMs: 2000,
    });
    const down = await rejection(unreachable(req(token)));
    expect(down.status).toBe(503);
    expect(down.detail).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });
});

describe('authentication configuration', () => {
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(AuthEnv, env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return [...(error as ConfigError).problems];
    }
    return [];
  };

  it('needs an OIDC issuer with an audience, or a development issuer key outside production', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^WOR_DEV_ISSUER_KEY is missing \(set OIDC_ISSUER/)]);
    expect(problemsOf({ WOR_DEV_ISSUER_KEY: generateDevIssuerKey() })).toEqual([]);
    expect(problemsOf({ OIDC_ISSUER: 'https://idp.example/realms/wor' })).toEqual([
      'OIDC_AUDIENCE is missing (required with OIDC_ISSUER)',
    ]);
    expect(problemsOf({ OIDC_ISSUER: 'https://idp.example/realms/wor', OIDC_AUDIENCE: 'wor-api' })).toEqual([]);
    expect(
      problemsOf({ OIDC_JWKS_URL: 'https://idp.example/certs', WOR_DEV_ISSUER_KEY: generateDevIssuerKey() }),
    ).toEqual(['OIDC_JWKS_URL is invalid (needs OIDC_ISSUER)']);
  });

  it('refuses the development issuer and plain HTTP in production', () => {
    const key = generateDevIssuerKey();
    expect(problemsOf({ NODE_ENV: 'production', WOR_DEV_ISSUER_KEY: key })).toEqual([
      expect.stringMatching(/^OIDC_ISSUER is missing/),
    ]);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        OIDC_ISSUER: 'http://idp.example',
        OIDC_AUDIENCE: 'a',
        OIDC_JWKS_URL: 'http://idp.example/certs',
      }),
    ).toEqual([
      'OIDC_ISSUER is invalid (must be https in production)',
      'OIDC_JWKS_URL is invalid (must be https in production)',
    ]);
  });

  it('allows asymmetric algorithms only, and checks every setting without printing values', () => {
    const base = { OIDC_ISSUER: 'https://idp.example', OIDC_AUDIENCE: 'wor-api' };
    expect(problemsOf({ ...base, OIDC_ALGORITHMS: 'RS256,ES256' })).toEqual([]);
    for (const alg of ['HS256', 'none', 'RS256,HS512'])
      expect(problemsOf({ ...base, OIDC_ALGORITHMS: alg })).toEqual([expect.stringMatching(/^OIDC_ALGORITHMS/)]);
    const bad = problemsOf({
      ...base,
      OIDC_CLOCK_TOLERANCE: '3600',
      OIDC_ROLES_CLAIM: 'a..b',
      WOR_DEV_ISSUER_KEY: 'secret-value',
    });
    expect(bad).toHaveLength(3);
    expect(bad.join('\n')).not.toContain('secret-value');
  });

  it('authenticatorFromEnv: the development issuer with the configured key', async () => {
    const key = generateDevIssuerKey();
    const authenticate = authenticatorFromEnv({ WOR_DEV_ISSUER_KEY: key });
    const token = await createDevIssuer({ key }).sign({ sub: 'u', roles: ['coach'] });
    expect((await authenticate(req(token))).subject).toBe('u');
    const stranger = await createDevIssuer({ key: generateDevIssuerKey() }).sign({ sub: 'u', roles: ['coach'] });
    expect((await rejection(authenticate(req(stranger)))).status).toBe(401);
  });
});
