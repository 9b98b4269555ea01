// Per-request access log line and duration metric, keyed by the route pattern (/referrals/:id),
// never the raw URL: paths and query strings can hold personal data. The request's span comes from
// the HTTP and express instrumentations (instrumentation.ts); the log line carries its trace id.
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';

export const UNMATCHED_ROUTE = 'unmatched';

/** The matched route pattern including router mount paths, or UNMATCHED_ROUTE. */
export const routeOf = (req: Request): string => {
  const route = (req as { route?: { path?: unknown } }).route;
  if (!route || route.path === undefined) return UNMATCHED_ROUTE;
  const path = Array.isArray(route.path) ? route.path.map(String).join('|') : String(route.path);
  return `${req.baseUrl}${path}` || '/';
};

const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics']);

export const observeRequests = (options: { logger: Logger; metrics: Metrics }): RequestHandler => {
  const { logger, metrics } = options;
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const span = trace.getActiveSpan();
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const route = routeOf(req);
      const status = res.statusCode;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequestDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      const line = {
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1e6) / 1e3,
        ...(span && isSpanContextValid(span.spanContext()) ? { trace_id: span.spanContext().traceId } : {}),
        ...(aborted ? { aborted: true } : {}),
      };
      if (QUIET_ROUTES.has(route) && status < 400) logger.debug(line, 'request');
      else logger.info(line, 'request');
    };
    res.once('finish', () => finish(false));
    res.once('close', () => finish(!res.writableFinished));
    next();
  };
};
