// Tracing for a process: the maintained OpenTelemetry instrumentations of http, express, pg, kafkajs
// and undici (fetch), so a trace shows requests, database queries and Kafka produce/consume without
// hand-written spans. They patch modules as these load, so an entry point imports this module
// before anything else (see each service's instrumentation.ts). It imports nothing that loads them.
//
// Nothing personal may reach a span: query strings are redacted (a FHIR search can carry a BSN),
// pg records statements but never their parameters, and no headers or bodies are recorded.
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { IncomingMessage } from 'node:http';
import { initTracing, type Tracing, type TracingOptions } from './tracing';

export const REDACTED = 'REDACTED';
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

const pathOf = (url: string | undefined): string => (url ?? '/').split('?')[0] || '/';
const hasQuery = (url: string | undefined): boolean => (url ?? '').includes('?');

/** The instrumentations every service process registers, configured to keep personal data out. */
export const processInstrumentations = () => [
  new HttpInstrumentation({
    // Probes and scrapes every few seconds would drown the traces that matter.
    ignoreIncomingRequestHook: (request) => QUIET_PATHS.has(pathOf(request.url)),
    startIncomingSpanHook: (request: IncomingMessage) => (hasQuery(request.url) ? { 'url.query': REDACTED } : {}),
    startOutgoingSpanHook: (options) => (hasQuery(options.path ?? undefined) ? { 'url.query': REDACTED } : {}),
  }),
  // Route handlers only: a span per middleware or router layer says nothing an operator needs.
  new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] }),
  // Statements, never their values; polling loops without a parent span (relays, projectors) stay out.
  new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
  new KafkaJsInstrumentation(),
  new UndiciInstrumentation({
    startSpanHook: (request) =>
      hasQuery(request.path)
        ? { 'url.full': `${request.origin}${pathOf(request.path)}?${REDACTED}`, 'url.query': REDACTED }
        : {},
  }),
];

let started: Tracing | undefined;

/** Starts the process's tracer provider and instrumentations (once); exports when OTLP is configured. */
export const startProcessTracing = (serviceName: string, options: TracingOptions = {}): Tracing => {
  if (started) return started;
  // Stable HTTP semantic conventions only (url.path, url.query, http.route): no old duplicates.
  process.env.OTEL_SEMCONV_STABILITY_OPT_IN ??= 'http';
  started = initTracing(serviceName, options);
  registerInstrumentations({ instrumentations: processInstrumentations(), tracerProvider: started.provider });
  return started;
};

/** The process tracing started by the entry point, if any. */
export const processTracing = (): Tracing | undefined => started;
