// Messaging metrics. Relays and consumers register on the registry they are given; without one they
// use `messagingRegistry`, whose metrics also appear in every registry passed to
// `exposeMessagingMetrics` (service-kit's createMetrics does), so a service that wires no registry
// still shows its relays' and consumers' figures on /metrics.
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { Transport } from './transport';

/** Fallback registry of relays and consumers created without one (one per process). */
export const messagingRegistry = new Registry();
const exposedIn = new Set<Registry>();
const fallbackMetrics = new Map<string, Metric>();

const register = (registry: Registry, name: string, metric: Metric) => {
  if (!registry.getSingleMetric(name)) registry.registerMetric(metric);
};

const shareFallback = (name: string, metric: Metric) => {
  fallbackMetrics.set(name, metric);
  for (const registry of exposedIn) register(registry, name, metric);
};

/** Shows the fallback registry's metrics, present and future, in `registry` too. */
export const exposeMessagingMetrics = (registry: Registry): void => {
  exposedIn.add(registry);
  for (const [name, metric] of fallbackMetrics) register(registry, name, metric);
};

/** One counter per registry even when several relays/consumers share it. */
export const counter = <L extends string>(
  registry: Registry | undefined,
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> => {
  const target = registry ?? messagingRegistry;
  const existing = target.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  const metric = new Counter({ name, help, labelNames, registers: [target] });
  if (target === messagingRegistry) shareFallback(name, metric);
  return metric;
};

/** One gauge per registry, like `counter`. */
export const gauge = <L extends string>(
  registry: Registry | undefined,
  name: string,
  help: string,
  labelNames: readonly L[],
): Gauge<L> => {
  const target = registry ?? messagingRegistry;
  const existing = target.getSingleMetric(name);
  if (existing) return existing as Gauge<L>;
  const metric = new Gauge({ name, help, labelNames, registers: [target] });
  if (target === messagingRegistry) shareFallback(name, metric);
  return metric;
};

// Consumer lag is read at scrape time (Kafka: log end offset minus the group's committed offset), so
// it is right even while the consumer is stuck; each registry knows the groups started on it.
type LagSource = Readonly<{ group: string; topics: readonly string[]; transport: Transport }>;
const lagSources = new WeakMap<Registry, Set<LagSource>>();
const LAG_METRIC = 'wor_messaging_consumer_lag_messages';

/** Registers a started consumer group for the lag gauge; returns the unregister function. */
export const trackConsumerLag = (registry: Registry | undefined, source: LagSource): (() => void) => {
  const target = registry ?? messagingRegistry;
  let sources = lagSources.get(target);
  if (!sources) {
    const set = new Set<LagSource>();
    sources = set;
    lagSources.set(target, set);
    if (!target.getSingleMetric(LAG_METRIC)) {
      const lagGauge = new Gauge({
        name: LAG_METRIC,
        help: 'Messages on the topic not yet committed by the consumer group, per partition (read from the broker at scrape time)',
        labelNames: ['consumer', 'topic', 'partition'],
        registers: [target],
        async collect() {
          this.reset();
          await Promise.all(
            [...set].map(async ({ group, topics, transport }) => {
              const lags = await transport.consumerLag?.(group, topics).catch(() => undefined);
              for (const { topic, partition, lag } of lags ?? []) {
                this.set({ consumer: group, topic, partition: String(partition) }, lag);
              }
            }),
          );
        },
      });
      if (target === messagingRegistry) shareFallback(LAG_METRIC, lagGauge);
    }
  }
  sources.add(source);
  const added = source;
  return () => {
    lagSources.get(target)?.delete(added);
  };
};
