// The authentication seam: createApp takes any `authenticate(req) → Caller`. Today that is the
// dev issuer (HS256 tokens for local use and tests); OIDC/JWKS verification plugs in later.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { HttpProblem } from './problem';

export const ROLES = [
  'gp-system',
  'referrer',
  'coach',
  'coordinator',
  'key-user',
  'privacy-officer',
  'reporting-consumer',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

export type Caller = Readonly<{
  subject: string;
  roles: readonly Role[];
  organisationId?: string;
  municipality?: string;
  /** The caller signs in with an account of the municipality itself (claim `municipal_account`). */
  municipalAccount?: boolean;
}>;

export type Authenticate = (req: Request) => Promise<Caller>;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      caller?: Caller;
    }
  }
}

const BEARER_REALM = 'Bearer realm="wor-platform"';

export const unauthorized = (detail: string, invalidToken = false): HttpProblem =>
  new HttpProblem({
    status: 401,
    title: 'Unauthorized',
    detail,
    headers: { 'WWW-Authenticate': invalidToken ? `${BEARER_REALM}, error="invalid_token"` : BEARER_REALM },
  });

export const forbidden = (detail = 'The caller lacks a role this operation requires.'): HttpProblem =>
  new HttpProblem({ status: 403, title: 'Forbidden', detail });

/** The token from `Authorization: Bearer <token>`, or undefined. */
export const bearerToken = (req: Request): string | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
};

/**
 * Development-only signing secret, documented on purpose: tokens signed with it prove nothing.
 * Set WOR_DEV_TOKEN_SECRET to use another one; refused when NODE_ENV=production.
 */
export const DEV_TOKEN_SECRET_DEFAULT = 'wor-dev-token-secret-not-for-production-use-000000';

export type DevTokenClaims = {
  sub: string;
  roles: readonly Role[];
  org?: string;
  municipality?: string;
  municipalAccount?: boolean;
};

export type DevIssuer = Readonly<{
  issuer: string;
  audience: string;
  /** expiresIn: a jose time span ('1h', '15m') or an absolute Date. */
  sign: (claims: DevTokenClaims, expiresIn?: string | Date) => Promise<string>;
  authenticate: Authenticate;
}>;

const TokenClaims = z.object({
  sub: z.string().min(1).max(200),
  roles: z.array(z.string()),
  org: z.string().min(1).max(200).optional(),
  municipality: z
    .string()
    .regex(/^GM\d{4}$/)
    .optional(),
  municipal_account: z.boolean().optional(),
});

export const createDevIssuer = (
  options: { secret?: string; issuer?: string; audience?: string; env?: Record<string, string | undefined> } = {},
): DevIssuer => {
  const env = options.env ?? process.env;
  const secretText = options.secret ?? env.WOR_DEV_TOKEN_SECRET ?? DEV_TOKEN_SECRET_DEFAULT;
  if (secretText === DEV_TOKEN_SECRET_DEFAULT && env.NODE_ENV === 'production')
    throw new Error('The dev token issuer refuses its default secret when NODE_ENV=production');
  if (Buffer.byteLength(secretText) < 32) throw new Error('The dev token secret must be at least 32 bytes');
  const secret = new TextEncoder().encode(secretText);
  const issuer = options.issuer ?? 'urn:wor:dev-issuer';
  const audience = options.audience ?? 'wor-platform';

  const sign: DevIssuer['sign'] = async (claims, expiresIn = '1h') => {
    const unknownRoles = claims.roles.filter((r) => !isRole(r));
    if (unknownRoles.length > 0) throw new Error(`Unknown roles: ${unknownRoles.join(', ')}`);
    return new SignJWT({
      roles: [...claims.roles],
      ...(claims.org === undefined ? {} : { org: claims.org }),
      ...(claims.municipality === undefined ? {} : { municipality: claims.municipality }),
      ...(claims.municipalAccount === undefined ? {} : { municipal_account: claims.municipalAccount }),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(secret);
  };

  const authenticate: Authenticate = async (req) => {
    const token = bearerToken(req);
    if (!token) throw unauthorized('A bearer token is required.');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, secret, {
        issuer,
        audience,
        algorithms: ['HS256'],
        clockTolerance: 30,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      // Say which check failed (expired vs invalid) but nothing from inside the token.
      const expired = error instanceof joseErrors.JWTExpired;
      throw unauthorized(expired ? 'The token has expired.' : 'The token is invalid.', true);
    }
    const claims = TokenClaims.safeParse(payload);
    if (!claims.success) throw unauthorized('The token claims are invalid.', true);
    const { sub, roles, org, municipality, municipal_account } = claims.data;
    return {
      subject: sub,
      // Roles this version does not know are ignored rather than rejected.
      roles: roles.filter(isRole),
      ...(org === undefined ? {} : { organisationId: org }),
      ...(municipality === undefined ? {} : { municipality }),
      ...(municipal_account === undefined ? {} : { municipalAccount: municipal_account }),
    };
  };

  return { issuer, audience, sign, authenticate };
};

/** Authenticates every request that reaches it; the caller lands on res.locals.caller. */
export const requireCaller =
  (authenticate: Authenticate): RequestHandler =>
  async (req: Request, res: Response, next: NextFunction) => {
    // Errors other than HttpProblem (e.g. an identity provider that is down) go to the error handler as 500.
    res.locals.caller = await authenticate(req);
    next();
  };

/** The authenticated caller; 401 when the route is not behind requireCaller. */
export const callerOf = (res: Response): Caller => {
  const caller = res.locals.caller;
  if (!caller) throw unauthorized('A bearer token is required.');
  return caller;
};

/** Lets the request through when the caller has at least one of `roles`. */
export const requireRole =
  (...roles: Role[]): RequestHandler =>
  (_req: Request, res: Response, next: NextFunction) => {
    const caller = callerOf(res);
    if (!caller.roles.some((r) => roles.includes(r))) throw forbidden();
    next();
  };

export const hasRole = (caller: Caller, ...roles: Role[]): boolean => caller.roles.some((r) => roles.includes(r));
