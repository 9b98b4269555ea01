// What every service factory receives and returns, so one launcher can run any of them: as its own
// process (Kafka) or all together in one process (embedded default, in-process transport).
import type { EventStoreSelection } from './create-event-store';
import type { Transport } from '@wor/messaging';
import type { Express } from 'express';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Authenticate } from './auth';
import { createMetrics, type Metrics } from './metrics';
import type { SettingsSchema } from './settings';
import { injectTraceparent } from './trace-context';

export type ServiceDeps = Readonly<{
  /** Connections use the service's own schema as search_path. */
  pool: Pool;
  schema: string;
  transport: Transport;
  logger: Logger;
  metrics: Metrics;
  authenticate: Authenticate;
  /** Prefix for topic names and consumer groups (tests isolate runs with it). */
  topicPrefix: string;
  /** Secret for pseudonymous subject ids (HMAC); shared by services that see identifiers. */
  pseudonymSecret: string;
  /** Master key sealing the keyring of key-encryption keys that wrap the per-subject data keys. */
  masterKey: Buffer;
  /** Master keys being rotated out (`WOR_PREVIOUS_MASTER_KEYS`). */
  previousMasterKeys?: readonly Buffer[];
  /**
   * Where the keyring files live (`WOR_KEYRING_DIR`): outside the database, so an erasure's follow-up
   * can really destroy a key. Absent only in tests, which get a temporary directory.
   */
  keyringDir?: string;
  now: () => Date;
  /** Where the service's events live (`createEventStore`); PostgreSQL in `schema` when absent. */
  eventStore?: EventStoreSelection;
  /**
   * Base URL of another service of the platform, asked at call time (the embedded launcher knows them
   * only once they run); when absent a service reads its `WOR_<SERVICE>_URL` setting.
   */
  peerUrl?: (service: string) => string | undefined;
  /** The service's own settings, validated before anything opened (`serviceSettings`); defaults when absent. */
  settings?: Readonly<Record<string, unknown>>;
}>;

/** The deps every caller used to spell out the same way; `serviceDeps` fills them in when absent. */
type Defaulted = 'metrics' | 'now' | 'topicPrefix';
export type ServiceDepsInput = Omit<ServiceDeps, Defaulted> & Partial<Pick<ServiceDeps, Defaulted>>;

/**
 * The one way to build a service's deps (processes, the launcher, test harnesses): what the caller gives, with a
 * fresh metrics registry, the real clock and no topic prefix unless given. Typed on the input, so a field added to
 * ServiceDeps is asked of every caller by the compiler.
 */
export const serviceDeps = (input: ServiceDepsInput): ServiceDeps => ({
  metrics: createMetrics(),
  now: () => new Date(),
  topicPrefix: '',
  ...input,
});

export type WorService = Readonly<{
  name: string;
  app: Express;
  /** Starts consumers, relay and projections (after migrations ran in the factory). */
  start(): Promise<void>;
  /** Stops background work; the pool and transport belong to the caller. */
  stop(): Promise<void>;
}>;

/** Made with `defineService`, which attaches the service's settings schema. */
export type ServiceFactory = ((deps: ServiceDeps) => Promise<WorService>) & Readonly<{ settings: SettingsSchema }>;

/** Metadata for events appended while handling a request: who, and the trace to continue. */
export const requestEventMetadata = (caller: { subject: string }): { actor: string; traceparent?: string } => {
  const traceparent = injectTraceparent();
  return { actor: caller.subject, ...(traceparent ? { traceparent } : {}) };
};

/** Ready when the service's database and broker answer. */
export const dependencyReadiness =
  (pool: Pool, transport: Transport) => async (): Promise<Record<string, boolean>> => ({
    database: await pool.query('SELECT 1').then(
      () => true,
      () => false,
    ),
    broker: await transport.isReachable(),
  });
