// A service's own settings: a zod object over environment variables, declared by the service next to
// its factory. The process (and the launcher) validate it with the rest of the configuration before
// anything opens; the factory gets the result through ServiceDeps, typed, and never reads process.env.
import { z } from 'zod';
import { loadConfig } from './config';
import type { ServiceDeps, ServiceFactory, WorService } from './service';

export type SettingsSchema = z.ZodObject<z.ZodRawShape>;

/** A factory that carries its settings schema; `create` receives the validated settings. */
export const defineService = <S extends SettingsSchema, W extends WorService>(
  settings: S,
  create: (deps: ServiceDeps, settings: z.output<S>) => Promise<W>,
): ((deps: ServiceDeps) => Promise<W>) & Readonly<{ settings: S }> =>
  Object.assign(
    // deps.settings was made from this schema by serviceSettings; tests that leave it out get the defaults.
    (deps: ServiceDeps) => create(deps, (deps.settings as z.output<S> | undefined) ?? loadConfig(settings, {})),
    { settings },
  );

/** Validates a service's settings (ConfigError naming each bad variable, never its value). */
export const serviceSettings = (
  factory: ServiceFactory,
  env: Record<string, string | undefined>,
): Readonly<Record<string, unknown>> => loadConfig(factory.settings, env);
