// Production authentication: bearer JWTs from an OpenID Connect provider (Keycloak, Entra ID, ...),
// verified against the provider's JWKS. People sign in through the provider; machine clients (GP
// systems) use the client-credentials grant, so the token's subject is the client itself.
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Authenticate } from './auth';
import { loadConfig } from './config';
import { createDevIssuer, isDevIssuerKey } from './dev-issuer';
import {
  ASYMMETRIC_ALGORITHMS,
  createJwtAuthenticator,
  DEFAULT_ALGORITHMS,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  IdentityProviderUnavailableError,
  type AsymmetricAlgorithm,
} from './jwt-verifier';

export type OidcOptions = Readonly<{
  issuer: string;
  audience: string;
  /** Defaults to the jwks_uri of the issuer's /.well-known/openid-configuration. */
  jwksUrl?: string;
  algorithms?: readonly AsymmetricAlgorithm[];
  clockToleranceSeconds?: number;
  rolesClaim?: string;
  rolePrefix?: string;
  /** Time limit for discovery and JWKS requests. */
  timeoutMs?: number;
}>;

const Discovery = z.object({ issuer: z.string(), jwks_uri: z.url() });

/** The jwks_uri from the issuer's discovery document, which must name the same issuer (OIDC Discovery §4.3). */
export const discoverJwksUrl = async (issuer: string, timeoutMs = 5000): Promise<string> => {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    document = await response.json();
  } catch (error) {
    throw new IdentityProviderUnavailableError(`OIDC discovery failed: ${(error as Error).message}`);
  }
  const parsed = Discovery.safeParse(document);
  if (!parsed.success || parsed.data.issuer !== issuer)
    throw new IdentityProviderUnavailableError('OIDC discovery document does not match the configured issuer');
  return parsed.data.jwks_uri;
};

export const createOidcAuthenticator = (options: OidcOptions): Authenticate => {
  const timeoutDuration = options.timeoutMs ?? 5000;
  // Discovery runs on first use and again after a failure, so a provider that is down at start
  // makes requests 503 until it is back, not the service unstartable.
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  const resolveKeys = (): Promise<JWTVerifyGetKey> =>
    (keySet ??= (async () => {
      const url = options.jwksUrl ?? (await discoverJwksUrl(options.issuer, timeoutDuration));
      // jose caches the keys and refetches on an unknown kid (key rotation), at most every 30 s.
      return createRemoteJWKSet(new URL(url), { timeoutDuration, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    })().catch((error: unknown) => {
      keySet = undefined;
      throw error;
    }));
  const keys: JWTVerifyGetKey = async (header, token) => (await resolveKeys())(header, token);
  return createJwtAuthenticator({ ...options, keys });
};

const csv = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** Authentication settings every service reads the same way; see docs/security.md. */
export const AuthEnv = z
  .object({
    NODE_ENV: z.string().optional(),
    OIDC_ISSUER: z.url().optional(),
    OIDC_AUDIENCE: z.string().min(1).optional(),
    OIDC_JWKS_URL: z.url().optional(),
    OIDC_ALGORITHMS: z
      .string()
      .transform(csv)
      .pipe(z.array(z.enum(ASYMMETRIC_ALGORITHMS, 'asymmetric JWS algorithms only')).min(1))
      .optional(),
    OIDC_CLOCK_TOLERANCE: z.coerce.number().int().min(0).max(300).default(DEFAULT_CLOCK_TOLERANCE_SECONDS),
    OIDC_ROLES_CLAIM: z
      .string()
      .regex(/^[\w:-]+(\.[\w:-]+)*$/, 'a claim name or dotted path')
      .default('roles'),
    OIDC_ROLE_PREFIX: z.string().min(1).optional(),
    WOR_DEV_ISSUER_KEY: z.string().refine(isDevIssuerKey, 'base64url P-256 private key or its JWK').optional(),
  })
  .superRefine((env, ctx) => {
    const production = env.NODE_ENV === 'production';
    if (env.OIDC_ISSUER === undefined) {
      if (production)
        ctx.addIssue({
          code: 'custom',
          path: ['OIDC_ISSUER'],
          message: 'the development issuer is refused in production',
        });
      else if (env.WOR_DEV_ISSUER_KEY === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['WOR_DEV_ISSUER_KEY'],
          message: 'set OIDC_ISSUER and OIDC_AUDIENCE, or a development issuer key',
        });
      if (env.OIDC_JWKS_URL !== undefined)
        ctx.addIssue({ code: 'custom', path: ['OIDC_JWKS_URL'], message: 'needs OIDC_ISSUER' });
      return;
    }
    if (env.OIDC_AUDIENCE === undefined)
      ctx.addIssue({ code: 'custom', path: ['OIDC_AUDIENCE'], message: 'required with OIDC_ISSUER' });
    if (production)
      for (const name of ['OIDC_ISSUER', 'OIDC_JWKS_URL'] as const)
        if (env[name] !== undefined && !env[name].startsWith('https://'))
          ctx.addIssue({ code: 'custom', path: [name], message: 'must be https in production' });
  });
export type AuthConfig = z.output<typeof AuthEnv>;

/** The OIDC verifier when OIDC_ISSUER is set, else the development issuer with WOR_DEV_ISSUER_KEY. */
export const authenticatorFromConfig = (config: AuthConfig): Authenticate =>
  config.OIDC_ISSUER === undefined
    ? createDevIssuer({ key: config.WOR_DEV_ISSUER_KEY, env: { NODE_ENV: config.NODE_ENV } }).authenticate
    : createOidcAuthenticator({
        issuer: config.OIDC_ISSUER,
        audience: config.OIDC_AUDIENCE!,
        ...(config.OIDC_JWKS_URL === undefined ? {} : { jwksUrl: config.OIDC_JWKS_URL }),
        algorithms: config.OIDC_ALGORITHMS ?? DEFAULT_ALGORITHMS,
        clockToleranceSeconds: config.OIDC_CLOCK_TOLERANCE,
        rolesClaim: config.OIDC_ROLES_CLAIM,
        ...(config.OIDC_ROLE_PREFIX === undefined ? {} : { rolePrefix: config.OIDC_ROLE_PREFIX }),
      });

export const authenticatorFromEnv = (env: Record<string, string | undefined> = process.env): Authenticate =>
  authenticatorFromConfig(loadConfig(AuthEnv, env));
