// HTTP hardening every service gets from createApp: security headers (helmet), strict CORS and a rate
// limit per client (express-rate-limit). Configured from the environment (validated like every other
// setting). CORS stays our own: deny by default and a 403 problem for a refused preflight.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import helmet from 'helmet';
import { z } from 'zod';
import { type Authenticate, type Caller, unauthorized } from './auth';
import { loadConfig } from './config';
import { unsafeClaim } from './input-guard';
import { HttpProblem } from './problem';

export type RateLimit = Readonly<{ perMinute: number; burst: number }>;

export type HttpSecurityOptions = Readonly<{
  /** Origins allowed to call from a browser; none by default. */
  corsOrigins: readonly string[];
  /** Per client (token subject, else IP address); undefined turns it off. */
  rateLimit: RateLimit | undefined;
  /** express `trust proxy`: hop count or addresses of the proxies whose X-Forwarded-* headers count. */
  trustProxy: number | string | undefined;
}>;

const isOrigin = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
};

const csv = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

export const HttpSecurityEnv = z.object({
  CORS_ORIGINS: z
    .string()
    .transform(csv)
    .pipe(z.array(z.string().refine(isOrigin, 'comma-separated origins like https://app.example.org, no path')))
    .optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(3000),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).optional(),
  TRUST_PROXY: z
    .string()
    .regex(/^(\d+|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/, 'a hop count or proxy addresses')
    .refine((v) => v !== 'true', "not 'true': that trusts X-Forwarded-For from anyone")
    .optional(),
});

export const httpSecurityFromEnv = (env: Record<string, string | undefined> = process.env): HttpSecurityOptions => {
  const config = loadConfig(HttpSecurityEnv, env);
  const perMinute = config.RATE_LIMIT_PER_MINUTE;
  return {
    corsOrigins: config.CORS_ORIGINS ?? [],
    rateLimit: perMinute === 0 ? undefined : { perMinute, burst: config.RATE_LIMIT_BURST ?? Math.ceil(perMinute / 6) },
    trustProxy:
      config.TRUST_PROXY === undefined
        ? undefined
        : /^\d+$/.test(config.TRUST_PROXY)
          ? Number(config.TRUST_PROXY)
          : config.TRUST_PROXY,
  };
};

/** Headers for a JSON API: nothing may render, frame, sniff, cache or refer. Routes may override Cache-Control. */
export const securityHeaders = (): RequestHandler => {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-site' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // Only over TLS (directly or, with TRUST_PROXY, as the proxy reports it): HSTS on plain HTTP is ignored.
    strictTransportSecurity: false,
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: true });
  return (req, res, next) =>
    headers(req, res, (error?: unknown) => {
      if (error) return next(error);
      res.setHeader('Cache-Control', 'no-store');
      if (req.secure) return hsts(req, res, next);
      next();
    });
};

const CORS_ALLOW_HEADERS =
  'Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, traceparent, tracestate';
const CORS_EXPOSE_HEADERS =
  'Location, ETag, Last-Modified, Retry-After, WWW-Authenticate, Idempotent-Replayed, Content-Disposition';

/**
 * Deny by default: only listed origins get CORS headers; a preflight from any other origin is a 403.
 * No credentials mode: callers send bearer tokens, not cookies.
 */
export const cors = (origins: readonly string[]): RequestHandler => {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    res.append('Vary', 'Origin');
    const ok = allowed.has(origin);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      if (!ok) throw new HttpProblem({ status: 403, title: 'Forbidden', detail: 'This origin may not call the API.' });
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE');
      res.setHeader('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    }
    next();
  };
};

export const tooManyRequests = (retryAfterSeconds: number): HttpProblem =>
  new HttpProblem({
    status: 429,
    title: 'Too Many Requests',
    detail: 'Too many requests from this client; retry after the time in Retry-After.',
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });

/** The client a request is charged to: the token subject, or the IP address (its /56 for IPv6). */
const clientOf = (req: Request, res: Response): string => {
  const caller = res.locals.caller as Caller | undefined;
  return caller ? `sub:${caller.subject}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
};

/**
 * Two fixed windows per client: the burst over 10 s and the sustained rate over a minute. Counts
 * live in this process's memory (each replica limits on its own, a restart forgets); a shared store
 * (express-rate-limit's Redis store, for example) or the gateway gives one limit across replicas.
 */
export const rateLimiters = (limit: RateLimit): RateLimitRequestHandler[] =>
  [
    { windowMs: 10_000, limit: limit.burst },
    { windowMs: 60_000, limit: limit.perMinute },
  ].map((window) =>
    rateLimit({
      ...window,
      keyGenerator: clientOf,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (req, _res, next) => {
        const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const seconds = resetTime ? Math.ceil((resetTime.getTime() - Date.now()) / 1000) : window.windowMs / 1000;
        next(tooManyRequests(Math.max(1, seconds)));
      },
      // The key is ours (subject or ipKeyGenerator), and proxies are set by TRUST_PROXY.
      validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
    }),
  );

/**
 * Authenticates, then charges the request to the client: the token subject, or the IP address when
 * the token is missing or bad (so guessing tokens is limited too). The caller lands on res.locals.caller.
 */
export const authenticateAndLimit = (authenticate: Authenticate, limit: RateLimit | undefined): RequestHandler[] => [
  async (req: Request, res: Response, next: NextFunction) => {
    try {
      const caller = await authenticate(req);
      // A claim that reaches SQL (actor, organisation filters) must be as clean as any body field.
      const bad = unsafeClaim(caller);
      if (bad) throw unauthorized(`The token's ${bad} claim holds characters or a length that are not allowed.`, true);
      res.locals.caller = caller;
    } catch (error) {
      res.locals.authenticationFailure = error;
    }
    next();
  },
  ...(limit ? rateLimiters(limit) : []),
  (_req: Request, res: Response, next: NextFunction) => {
    if (!res.locals.caller) throw res.locals.authenticationFailure;
    next();
  },
];
