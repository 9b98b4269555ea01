// createApp: the HTTP process shape every service shares. Order matters:
// observe (span, log, metric) → security headers, CORS → probes, OpenAPI document and reference page,
// public routes (unauthenticated) → authenticate and rate-limit → UTF-8 JSON body → input guard (control
// characters, lengths) → routes → 404 → errors.
import { context } from '@opentelemetry/api';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import type { Authenticate } from './auth';
import { apiReferenceRoutes } from './api-reference';
import { errorHandler } from './error-handler';
import {
  authenticateAndLimit,
  cors,
  type HttpSecurityOptions,
  httpSecurityFromEnv,
  securityHeaders,
} from './http-security';
import { guardInput, type InputLimits, DEFAULT_INPUT_LIMITS, requireUtf8Charset, verifyJsonBody } from './input-guard';
import { createMetrics, type Metrics } from './metrics';
import { observeRequests } from './observe';
import { registeredRoutes } from './policy';
import { HttpProblem } from './problem';

export type ReadinessCheck = () => Promise<Record<string, boolean>>;

export type AppOptions = {
  serviceName: string;
  logger: Logger;
  /** Defaults to a fresh registry with default metrics; pass one to add service metrics to it. */
  metrics?: Metrics;
  /** Authenticated routes: every request reaching them has res.locals.caller set. */
  routes: (router: Router) => void;
  authenticate: Authenticate;
  readiness?: ReadinessCheck;
  /** JSON body limit, e.g. '100kb' (the default). */
  bodyLimit?: string | number;
  /** Routes that take larger bodies than bodyLimit (documents with attachments), by exact path. */
  largeBodies?: readonly { path: string; limit: string | number }[];
  /** Routes that need no token and hold no data (e.g. GET /fhir/metadata), mounted before authentication. */
  publicRoutes?: (router: Router) => void;
  /** The service's OpenAPI document, served unauthenticated at /openapi.json with its reference page at /docs. */
  openapi?: { info: { title: string } };
  /** CORS, rate limit, proxies; defaults from CORS_ORIGINS, RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST, TRUST_PROXY. */
  security?: Partial<HttpSecurityOptions>;
  /** Maximum string lengths the input guard enforces on every route (defaults: DEFAULT_INPUT_LIMITS). */
  inputLimits?: Partial<InputLimits>;
  /** Wider limits for named routes (`'POST /imports/hsds/tabular': { bodyString: 20_000_000 }`); their schemas cap the fields. */
  inputLimitsByRoute?: Readonly<Record<string, Partial<InputLimits>>>;
};

/**
 * express.json() reads the body in stream callbacks, which run outside the request's async
 * context; binding `next` keeps the server span active for everything after it.
 */
const jsonBody = (limit: string | number): RequestHandler => {
  // FHIR clients send application/fhir+json; every JSON media type is JSON.
  const parse = express.json({ limit, type: ['application/json', 'application/*+json'], verify: verifyJsonBody });
  return (req, res, next) => {
    requireUtf8Charset(req, res, () => parse(req, res, context.bind(context.active(), next)));
  };
};

const readinessHandler =
  (readiness: ReadinessCheck, logger: Logger): RequestHandler =>
  async (_req, res) => {
    let checks: Record<string, boolean>;
    try {
      checks = await readiness();
    } catch (error) {
      logger.warn({ err: error }, 'readiness check threw');
      checks = { readiness: false };
    }
    const failed = Object.entries(checks)
      .filter(([, ok]) => ok !== true)
      .map(([name]) => name);
    res
      .status(failed.length === 0 ? 200 : 503)
      .json({ status: failed.length === 0 ? 'ready' : 'not-ready', checks, failed });
  };

export const createApp = (options: AppOptions): Express => {
  const { logger } = options;
  const metrics = options.metrics ?? createMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const security: HttpSecurityOptions = { ...httpSecurityFromEnv(), ...options.security };
  if (security.trustProxy !== undefined) app.set('trust proxy', security.trustProxy);

  app.use(observeRequests({ logger, metrics }));
  app.use(securityHeaders());
  app.use(cors(security.corsOrigins));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', readinessHandler(options.readiness ?? (async () => ({})), logger));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const { openapi } = options;
  if (openapi) {
    app.get('/openapi.json', (_req, res) => void res.json(openapi));
    apiReferenceRoutes(app, openapi.info.title);
  }
  if (options.publicRoutes) {
    const publicRouter = express.Router();
    options.publicRoutes(publicRouter);
    app.use(publicRouter);
  }

  const bodyLimit = options.bodyLimit ?? '100kb';
  // Authenticate before reading the body: unauthenticated callers never get a body parsed.
  app.use(authenticateAndLimit(options.authenticate, security.rateLimit));
  const normalBody = jsonBody(bodyLimit);
  const largeBodies = (options.largeBodies ?? []).map(({ path, limit }) => ({ path, parse: jsonBody(limit) }));
  app.use((req, res, next) => (largeBodies.find((l) => l.path === req.path)?.parse ?? normalBody)(req, res, next));
  const router = express.Router();
  options.routes(router);
  const routePaths = registeredRoutes(router).map((r) => r.path);
  app.use(guardInput(routePaths, { ...DEFAULT_INPUT_LIMITS, ...options.inputLimits }, options.inputLimitsByRoute));
  app.use(router);

  app.use(() => {
    throw new HttpProblem({ status: 404, title: 'Not Found', detail: 'No such resource.' });
  });
  app.use(errorHandler(logger));
  return app;
};
