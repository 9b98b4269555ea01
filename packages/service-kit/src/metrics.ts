// One prom-client Registry per app (never the global one), so tests and apps don't collide.
import { exposeMessagingMetrics } from '@wor/messaging';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export type HttpMetricLabels = 'method' | 'route' | 'status';

export type Metrics = Readonly<{
  registry: Registry;
  httpRequestDuration: Histogram<HttpMetricLabels>;
}>;

export const createMetrics = (options: { defaultMetrics?: boolean; prefix?: string } = {}): Metrics => {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: options.prefix });
  // Relays and consumers wired without a registry (relay rates, consumer lag) show up here too.
  exposeMessagingMetrics(registry);
  const httpRequestDuration = new Histogram<HttpMetricLabels>({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpRequestDuration };
};
