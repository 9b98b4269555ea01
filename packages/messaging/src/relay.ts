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
  type Span,
} from '@opentelemetry/api';
import type { Checkpoint, EventStore, RecordedEvent } from '@wor/event-store';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { counter } from './metrics';
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

/** One PRODUCER span per distinct trace in the batch (events of one request share a traceparent). */
const startProducerSpans = (
  topic: string,
  transportKind: Transport['kind'],
  groups: ReadonlyMap<string | undefined, Record<string, string>[]>,
): Span[] => {
  const tracer = trace.getTracer(TRACER_NAME);
  const spans: Span[] = [];
  for (const [traceparent, headersOfGroup] of groups) {
    const parent: Context = traceparent
      ? propagation.extract(ROOT_CONTEXT, { traceparent }, headerGetter)
      : ROOT_CONTEXT;
    const span = tracer.startSpan(
      `${topic} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': transportKind === 'kafka' ? 'kafka' : 'in-process',
          'messaging.destination.name': topic,
          'messaging.operation.type': 'send',
          'messaging.batch.message_count': headersOfGroup.length,
        },
      },
      parent,
    );
    const spanContext = trace.setSpan(parent, span);
    // Without a registered propagator inject is a no-op and the original traceparent stays.
    for (const headers of headersOfGroup) propagation.inject(spanContext, headers, headerSetter);
    spans.push(span);
  }
  return spans;
};

export const createRelay = (options: RelayOptions): Relay => {
  const { name, store, pool, transport, topic, map, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const table = `${quoteSchema(options.schema)}.relay_checkpoints`;
  const published = counter(options.registry, 'wor_messaging_relay_published_total', 'Integration events published by relays', ['relay']);
  const log = logger.child({ relay: name, topic });

  let rowEnsured = false;
  const runBatch = async (): Promise<BatchResult> => {
    if (!rowEnsured) {
      await pool.query(`INSERT INTO ${table} (name, checkpoint) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, '']);
      rowEnsured = true;
    }
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // The row lock makes a second replica of this relay skip instead of publishing the same batch.
      const row = await client.query<{ checkpoint: Checkpoint }>(
        `SELECT checkpoint FROM ${table} WHERE name = $1 FOR UPDATE SKIP LOCKED`,
        [name],
      );
      const from = row.rows[0]?.checkpoint;
      if (from === undefined) {
        await client.query('ROLLBACK');
        return { read: 0, published: 0 };
      }
      const { events, checkpoint } = await store.readAll(from, batchSize);
      if (events.length === 0) {
        await client.query('ROLLBACK');
        return { read: 0, published: 0 };
      }

      const messages: OutgoingMessage[] = [];
      const byTrace = new Map<string | undefined, Record<string, string>[]>();
      for (const event of events) {
        const traceparent = event.metadata.traceparent;
        for (const integrationEvent of map(event)) {
          const headers: Record<string, string> = { type: integrationEvent.type };
          if (integrationEvent.schemaVersion !== undefined) headers['schema-version'] = String(integrationEvent.schemaVersion);
          if (traceparent) headers.traceparent = traceparent;
          const group = byTrace.get(traceparent) ?? [];
          group.push(headers);
          byTrace.set(traceparent, group);
          messages.push({ key: integrationEvent.subjectId ?? event.streamId, value: JSON.stringify(integrationEvent), headers });
        }
      }

      if (messages.length > 0) {
        const spans = startProducerSpans(topic, transport.kind, byTrace);
        try {
          await transport.publish(topic, messages);
        } catch (error) {
          for (const span of spans) {
            span.recordException(errorSummary(error));
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          throw error;
        } finally {
          for (const span of spans) span.end();
        }
      }

      await client.query(`UPDATE ${table} SET checkpoint = $2, updated_at = now() WHERE name = $1`, [name, checkpoint]);
      await client.query('COMMIT');
      published?.inc({ relay: name }, messages.length);
      log.debug({ events: events.length, published: messages.length }, 'Relay batch published');
      return { read: events.length, published: messages.length };
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
      });
      throw error;
    } finally {
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
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!stopping) {
      try {
        // Run outside any caller's context: the spans' parents come from the events only.
        const result = await otelContext.with(ROOT_CONTEXT, serialised);
        failures = 0;
        if (result.read >= batchSize) continue; // more is waiting
        await pause(pollIntervalMs);
      } catch (error) {
        failures++;
        const delay = backoffMs(failures, 100, maxBackoffMs);
        log.error({ err: errorSummary(error), failures, retryInMs: delay }, 'Relay batch failed; will retry');
        await pause(delay);
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
      wake?.();
      await running;
    },
    runOnce: async () => (await otelContext.with(ROOT_CONTEXT, serialised)).published,
    nudge: () => wake?.(),
  };
};
