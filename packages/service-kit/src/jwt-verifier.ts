// Bearer JWT verification against a JSON Web Key Set. One path for every issuer: the OIDC provider in
// production (remote JWKS) and the local development issuer (local JWKS), so tests run the verifier
// production runs. A rejected token is a 401 that says "invalid" or "expired", never which check failed.
import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { type Authenticate, bearerToken, type Caller, isRole, type Role, unauthorized } from './auth';
import { HttpProblem } from './problem';

/** Asymmetric JWS algorithms a verifier may allow. Never `none`, never HS*: an OIDC client holds no shared key. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];
export const DEFAULT_ALGORITHMS: readonly AsymmetricAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

export type JwtAuthenticatorOptions = Readonly<{
  issuer: string;
  audience: string;
  /** The issuer's public keys: createRemoteJWKSet (OIDC) or createLocalJWKSet (dev issuer). */
  keys: JWTVerifyGetKey;
  algorithms?: readonly AsymmetricAlgorithm[];
  clockToleranceSeconds?: number;
  /** Claim holding the roles, a dotted path for nested claims (Keycloak: `realm_access.roles`). Default `roles`. */
  rolesClaim?: string;
  /** When set, only roles with this prefix count (prefix stripped); other values are ignored. */
  rolePrefix?: string;
}>;

/** The identity provider's keys could not be fetched: a 503, not the caller's fault. */
export class IdentityProviderUnavailableError extends Error {
  override readonly name = 'IdentityProviderUnavailableError';
}

const identityProviderUnavailable = (): HttpProblem =>
  new HttpProblem({
    status: 503,
    title: 'Service Unavailable',
    detail: 'The identity provider cannot be reached; try again later.',
    headers: { 'Retry-After': '5' },
  });

// Failures to get the keys, as opposed to a token that does not verify.
const isKeySourceFailure = (error: unknown): boolean =>
  error instanceof IdentityProviderUnavailableError ||
  error instanceof joseErrors.JWKSTimeout ||
  error instanceof joseErrors.JWKSInvalid ||
  // jose: a non-200 JWKS response is a plain JOSEError; a network error is not a JOSEError at all.
  (error instanceof joseErrors.JOSEError && error.constructor === joseErrors.JOSEError) ||
  !(error instanceof joseErrors.JOSEError);

const Claims = z.object({
  sub: z.string().min(1).max(200),
  org: z.string().min(1).max(200).optional(),
  municipality: z
    .string()
    .regex(/^GM\d{4}$/)
    .optional(),
  municipal_account: z.boolean().optional(),
});

const claimAt = (payload: JWTPayload, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }, payload);

/** The caller's roles, or undefined when the claim is missing, empty or names a role this platform does not know. */
export const rolesFrom = (payload: JWTPayload, rolesClaim = 'roles', rolePrefix?: string): Role[] | undefined => {
  const value = claimAt(payload, rolesClaim);
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) return undefined;
  const names = rolePrefix
    ? value.filter((v) => v.startsWith(rolePrefix)).map((v) => v.slice(rolePrefix.length))
    : value;
  // An unknown role means the issuer and the platform disagree about roles: fail closed.
  if (names.length === 0 || !names.every(isRole)) return undefined;
  return [...new Set(names)];
};

/** Maps verified claims to the caller; undefined when a required claim is missing or malformed. */
export const callerFromClaims = (
  payload: JWTPayload,
  options: Pick<JwtAuthenticatorOptions, 'rolesClaim' | 'rolePrefix'> = {},
): Caller | undefined => {
  const claims = Claims.safeParse(payload);
  const roles = rolesFrom(payload, options.rolesClaim, options.rolePrefix);
  if (!claims.success || !roles) return undefined;
  const { sub, org, municipality, municipal_account } = claims.data;
  return {
    subject: sub,
    roles,
    ...(org === undefined ? {} : { organisationId: org }),
    ...(municipality === undefined ? {} : { municipality }),
    ...(municipal_account === undefined ? {} : { municipalAccount: municipal_account }),
  };
};

export const createJwtAuthenticator = (options: JwtAuthenticatorOptions): Authenticate => {
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  const unsafe = algorithms.filter((a) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(a));
  if (unsafe.length > 0 || algorithms.length === 0)
    throw new Error(`Only asymmetric JWS algorithms may be allowed (${ASYMMETRIC_ALGORITHMS.join(', ')})`);
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms,
    clockTolerance: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['sub', 'exp'],
  };
  return async (req) => {
    const token = bearerToken(req);
    if (!token) throw unauthorized('A bearer token is required.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.keys, verifyOptions));
    } catch (error) {
      if (isKeySourceFailure(error)) throw identityProviderUnavailable();
      throw unauthorized(
        error instanceof joseErrors.JWTExpired ? 'The token has expired.' : 'The token is invalid.',
        true,
      );
    }
    const caller = callerFromClaims(payload, options);
    if (!caller) throw unauthorized('The token is invalid.', true);
    return caller;
  };
};
