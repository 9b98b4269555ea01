// The authentication seam: createApp takes any `authenticate(req) → Caller`. In production that is
// the OIDC verifier (oidc.ts); locally and in tests the development issuer (dev-issuer.ts). Both verify
// bearer JWTs through the same JWKS path (jwt-verifier.ts).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { unsafeClaim } from './input-guard';
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
  /** A referral channel's client credential (ZorgDomein): delivers documents, reads nothing else. */
  'referral-channel',
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

/** Authenticates every request that reaches it; the caller lands on res.locals.caller. */
export const requireCaller =
  (authenticate: Authenticate): RequestHandler =>
  async (req: Request, res: Response, next: NextFunction) => {
    // HttpProblems (401, or 503 when the identity provider is down) and anything else go to the error handler.
    const caller = await authenticate(req);
    const bad = unsafeClaim(caller);
    if (bad) throw unauthorized(`The token's ${bad} claim holds characters or a length that are not allowed.`, true);
    res.locals.caller = caller;
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
