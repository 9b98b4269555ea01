// HTTP hardening every service gets from createApp: security headers, strict CORS and a rate limit
// per client. Configured from the environment (validated like every other setting).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Authenticate, Caller } from './auth';
import { loadConfig } from './config';
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
export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-site');
  res.setHeader('Cache-Control', 'no-store');
  // Only over TLS (directly or, with TRUST_PROXY, as the proxy reports it): HSTS on plain HTTP is ignored.
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  next();
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

/**
 * Token buckets in this process's memory: each replica limits on its own, and a restart forgets.
 * Enough against a runaway client; a shared limit across replicas belongs in the gateway.
 * `take` returns undefined when allowed, else the seconds until the next request is.
 */
export const createRateLimiter = (limit: RateLimit, now: () => number = Date.now) => {
  const perMs = limit.perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const MAX_KEYS = 10_000;
  const refill = (bucket: { tokens: number; at: number }, t: number) => {
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (t - bucket.at) * perMs);
    bucket.at = t;
  };
  return {
    take(key: string): number | undefined {
      const t = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= MAX_KEYS)
          // Full buckets carry no information; dropping them bounds memory.
          for (const [k, b] of buckets) {
            refill(b, t);
            if (b.tokens >= limit.burst) buckets.delete(k);
          }
        bucket = { tokens: limit.burst, at: t };
        buckets.set(key, bucket);
      } else refill(bucket, t);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return undefined;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
  };
};
export type RateLimiter = ReturnType<typeof createRateLimiter>;

export const tooManyRequests = (retryAfterSeconds: number): HttpProblem =>
  new HttpProblem({
    status: 429,
    title: 'Too Many Requests',
    detail: 'Too many requests from this client; retry after the time in Retry-After.',
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });

/**
 * Authenticates, then charges the request to the client: the token subject, or the IP address when
 * the token is missing or bad (so guessing tokens is limited too). The caller lands on res.locals.caller.
 */
export const authenticateAndLimit =
  (authenticate: Authenticate, limiter: RateLimiter | undefined): RequestHandler =>
  async (req: Request, res: Response, next: NextFunction) => {
    let caller: Caller | undefined;
    let failure: unknown;
    try {
      caller = await authenticate(req);
    } catch (error) {
      failure = error;
    }
    const wait = limiter?.take(caller ? `sub:${caller.subject}` : `ip:${req.ip ?? 'unknown'}`);
    if (wait !== undefined) throw tooManyRequests(wait);
    if (!caller) throw failure;
    res.locals.caller = caller;
    next();
  };
