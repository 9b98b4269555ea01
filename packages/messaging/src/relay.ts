// The relay: the event store is the outbox. It reads domain events after its checkpoint, maps them
// to integration events (the mapper is the service's PII filter), publishes them, and only then saves
// the checkpoint. A crash in between republishes the batch: at-least-once, consumers dedupe by
// eventId, which is why mappers derive ids with `integrationEventId`.
import {
  context as otelContext,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
} from '@opentelemetry/api';
import type { Checkpoint, EventStore, RecordedEvent } from '@wor/event-store';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { counter, gauge } from './metrics';
import { quoteSchema } from './sql';
import { backoffMs, errorSummary } from './timing';
import { headerGetter, headerSetter, TRACER_NAME } from './tracing';
import type { OutgoingMessage, Transport } from './transport';

/** What the relay needs from an integration event; the contracts' AnyEnvelope satisfies it. */
export type IntegrationEventLike = Readonly<{
  eventId: string;
  type: string;
  subjectId: string | null;
  schemaVersion?: number;
}>;

export type RelayOptions = Readonly<{
  /** Unique per relay; the checkpoint row's key. */
  name: string;
  store: EventStore;
  pool: Pool;
  schema: string;
  transport: Transport;
  topic: string;
  /** Domain event → 0..n integration events. Must be deterministic (ids via `integrationEventId`). */
  map: (event: RecordedEvent) => readonly IntegrationEventLike[];
  batchSize?: number;
  pollIntervalMs?: number;
  /** Cap of the exponential backoff after failures. */
  maxBackoffMs?: number;
  logger: Logger;
  registry?: Registry;
}>;

export type Relay = Readonly<{
  /** Runs the polling loop in the background until `stop`. */
  start(): void;
  /** Lets the current batch finish, then ends the loop. */
  stop(): Promise<void>;
  /** One batch; resolves to the number of integration events published. Throws on failure. */
  runOnce(): Promise<number>;
  /** Wakes the loop now, e.g. right after an append. */
  nudge(): void;
}>;

type BatchResult = Readonly<{ read: number; published: number }>;

/** Consecutive messages of one request (one traceparent), sent together inside that request's trace. */
type Run = { traceparent: string | undefined; messages: OutgoingMessage[] };

/**
 * The outbox hop no instrumentation can see: the request's trace lives on in the stored event, and
 * this span continues it. Over Kafka the kafkajs instrumentation adds the PRODUCER span under it (so
 * this one is INTERNAL); over the in-process transport this span is the producer.
 */
const publishRun = async (transport: Transport, topic: string, run: Run): Promise<void> => {
  const parent: Context = run.traceparent
    ? propagation.extract(ROOT_CONTEXT, { traceparent: run.traceparent }, headerGetter)
    : ROOT_CONTEXT;
  const span = trace.getTracer(TRACER_NAME).startSpan(
    `${topic} publish`,
    {
      kind: transport.kind === 'kafka' ? SpanKind.INTERNAL : SpanKind.PRODUCER,
      attributes: {
        'messaging.system': transport.kind === 'kafka' ? 'kafka' : 'in-process',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'send',
        'messaging.batch.message_count': run.messages.length,
      },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  // Without a registered propagator inject is a no-op and the stored traceparent stays.
  for (const message of run.messages) propagation.inject(active, message.headers, headerSetter);
  try {
    await otelContext.with(active, () => transport.publish(topic, run.messages));
  } catch (error) {
    span.recordException(errorSummary(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
};

export const createRelay = (options: RelayOptions): Relay => {
  const { name, store, pool, transport, topic, map, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const table = `${quoteSchema(options.schema)}.relay_checkpoints`;
  const published = counter(
    options.registry,
    'wor_messaging_relay_published_total',
    'Integration events published by relays',
    ['relay'],
  );
  // The event store's append rate as the relay sees it: rate() of this is events appended per second
  // once the relay keeps up; a growing gap to the appends shows up in the checkpoint age.
  const read = counter(
    options.registry,
    'wor_messaging_relay_events_read_total',
    'Domain events read from the event store by relays (rate = append rate)',
    ['relay'],
  );
  const checkpointAt = gauge(
    options.registry,
    'wor_messaging_relay_checkpoint_timestamp_seconds',
    'When the relay last saved a checkpoint (unix seconds)',
    ['relay'],
  );
  const recordedAt = gauge(
    options.registry,
    'wor_messaging_relay_last_event_recorded_timestamp_seconds',
    'When the last event the relay published was appended (unix seconds); now minus this is the relay lag while it is behind',
    ['relay'],
  );
  const log = logger.child({ relay: name, topic });

  const lockKey = `wor-relay:${options.schema}.${name}`;
  let rowEnsured = false;
  const runBatch = async (): Promise<BatchResult> => {
    if (!rowEnsured) {
      await pool.query(`INSERT INTO ${table} (name, checkpoint) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
        name,
        '',
      ]);
      rowEnsured = true;
    }
    const client = await pool.connect();
    let broken: Error | undefined;
    let locked = false;
    try {
      // A session advisory lock (not a row lock in a transaction): it makes a second replica of this
      // relay skip instead of publishing the same batch, without holding a transaction id open during
      // the publish, which would hold back every event-store reader in the cluster.
      const lock = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [lockKey],
      );
      locked = lock.rows[0]?.locked === true;
      if (!locked) return { read: 0, published: 0 };
      const row = await client.query<{ checkpoint: Checkpoint }>(`SELECT checkpoint FROM ${table} WHERE name = $1`, [
        name,
      ]);
      const from = row.rows[0]?.checkpoint ?? '';
      const { events, checkpoint } = await store.readAll(from, batchSize);
      if (events.length === 0) return { read: 0, published: 0 };

      // Runs keep the batch's order, so messages with one key stay in order across runs.
      const runs: Run[] = [];
      let count = 0;
      for (const event of events) {
        const traceparent = event.metadata.traceparent;
        for (const integrationEvent of map(event)) {
          const headers: Record<string, string> = { type: integrationEvent.type };
          if (integrationEvent.schemaVersion !== undefined)
            headers['schema-version'] = String(integrationEvent.schemaVersion);
          if (traceparent) headers.traceparent = traceparent;
          const message = {
            key: integrationEvent.subjectId ?? event.streamId,
            value: JSON.stringify(integrationEvent),
            headers,
          };
          const last = runs.at(-1);
          if (last && last.traceparent === traceparent) last.messages.push(message);
          else runs.push({ traceparent, messages: [message] });
          count++;
        }
      }
      for (const run of runs) await publishRun(transport, topic, run);

      // Crash before this line: the batch is published again after a restart (at-least-once).
      await client.query(`UPDATE ${table} SET checkpoint = $2, updated_at = now() WHERE name = $1`, [name, checkpoint]);
      published.inc({ relay: name }, count);
      read.inc({ relay: name }, events.length);
      checkpointAt.set({ relay: name }, Date.now() / 1000);
      const last = events.at(-1);
      if (last) recordedAt.set({ relay: name }, last.recordedAt.getTime() / 1000);
      log.debug({ events: events.length, published: count }, 'Relay batch published');
      return { read: events.length, published: count };
    } finally {
      if (locked) {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]).catch((error: unknown) => {
          // Never return a connection that still holds the lock to the pool.
          broken = error instanceof Error ? error : new Error('unlock failed');
        });
      }
      client.release(broken);
    }
  };

  // Batches never overlap within one process (runOnce during the loop waits its turn).
  let tail: Promise<unknown> = Promise.resolve();
  const serialised = (): Promise<BatchResult> => {
    const run = tail.then(runBatch);
    tail = run.catch(() => undefined);
    return run;
  };

  let running: Promise<void> | undefined;
  let stopping = false;
  // A nudge during a batch must not be lost: the next pause then returns at once.
  let nudged = false;
  let wake: (() => void) | undefined;
  // After a failure only `stop` cuts the backoff short; nudges (every append) would defeat it.
  const pause = (ms: number, nudgeable: boolean) =>
    new Promise<void>((resolve) => {
      if (stopping || (nudgeable && nudged)) {
        nudged = false;
        return resolve();
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        stopWaiting = undefined;
        resolve();
      }
      wake = nudgeable ? done : undefined;
      stopWaiting = done;
    });
  const wakeUp = () => {
    if (wake) wake();
    else nudged = true;
  };
  let stopWaiting: (() => void) | undefined;

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!stopping) {
      try {
        // Run outside any caller's context: the spans' parents come from the events only.
        const result = await otelContext.with(ROOT_CONTEXT, serialised);
        failures = 0;
        if (result.read >= batchSize) continue; // more is waiting
        await pause(pollIntervalMs, true);
      } catch (error) {
        failures++;
        const delay = backoffMs(failures, 100, maxBackoffMs);
        log.error({ err: errorSummary(error), failures, retryInMs: delay }, 'Relay batch failed; will retry');
        await pause(delay, false);
      }
    }
  };

  return {
    start: () => {
      if (running) return;
      stopping = false;
      running = loop().finally(() => {
        running = undefined;
      });
    },
    stop: async () => {
      stopping = true;
      stopWaiting?.();
      await running;
    },
    runOnce: async () => (await otelContext.with(ROOT_CONTEXT, serialised)).published,
    nudge: wakeUp,
  };
};
