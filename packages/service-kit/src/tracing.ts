// The tracer provider: W3C propagation, OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set. A service
// process registers the maintained instrumentations on it first thing (instrumentation.ts); the
// platform's own spans are the outbox relay and the handling of integration events (messaging).
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export type TracingOptions = {
  /** Exported synchronously (SimpleSpanProcessor); tests pass an InMemorySpanExporter. Wins over OTLP. */
  exporter?: SpanExporter;
  env?: Record<string, string | undefined>;
};

export type Tracing = Readonly<{
  tracer: Tracer;
  provider: NodeTracerProvider;
  /** Flushes and unregisters the global provider, context manager and propagator. */
  shutdown: () => Promise<void>;
}>;

const spanProcessors = (options: TracingOptions): SpanProcessor[] => {
  if (options.exporter) return [new SimpleSpanProcessor(options.exporter)];
  // The OTLP exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and headers etc.) itself.
  if ((options.env ?? process.env).OTEL_EXPORTER_OTLP_ENDPOINT)
    return [new BatchSpanProcessor(new OTLPTraceExporter())];
  // Still a real provider: spans get ids for logs and propagation, they are just not exported.
  return [];
};

export const initTracing = (serviceName: string, options: TracingOptions = {}): Tracing => {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: spanProcessors(options),
  });
  // Default context manager of the Node provider is AsyncLocalStorage-based.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  let shutdownPromise: Promise<void> | undefined;
  return {
    tracer: trace.getTracer(serviceName),
    provider,
    shutdown: () =>
      (shutdownPromise ??= (async () => {
        try {
          await provider.shutdown();
        } finally {
          trace.disable();
          context.disable();
          propagation.disable();
        }
      })()),
  };
};
