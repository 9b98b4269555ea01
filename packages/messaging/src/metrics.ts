import { Counter, type Registry } from 'prom-client';

/** One counter per registry even when several relays/consumers share it. */
export const counter = <L extends string>(
  registry: Registry | undefined,
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> | undefined => {
  if (!registry) return undefined;
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
};
