// Per-request span, access log line and duration metric. Everything is keyed by the route
// pattern (/referrals/:id), never the raw URL: paths and query strings can hold personal data.
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
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

export const observeRequests = (options: { logger: Logger; metrics: Metrics; tracerName: string }): RequestHandler => {
  const { logger, metrics } = options;
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = trace
      .getTracer(options.tracerName)
      .startSpan(req.method, { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method } }, parent);
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const route = routeOf(req);
      const status = res.statusCode;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      span.updateName(`${req.method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (status >= 500 || aborted) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      metrics.httpRequestDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      const line = {
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1e6) / 1e3,
        ...(isSpanContextValid(span.spanContext()) ? { trace_id: span.spanContext().traceId } : {}),
        ...(aborted ? { aborted: true } : {}),
      };
      if (QUIET_ROUTES.has(route) && status < 400) logger.debug(line, 'request');
      else logger.info(line, 'request');
    };
    res.once('finish', () => finish(false));
    res.once('close', () => finish(!res.writableFinished));
    context.with(trace.setSpan(parent, span), () => next());
  };
};
