// Consumer helper: effect exactly once on top of at-least-once delivery. The processed-event record
// and the handler's read-model changes commit in one PostgreSQL transaction; a redelivered event finds
// its record and is skipped. Poison and persistently failing messages go to a dead letter, so a
// partition is never blocked. Only infrastructure failures (PostgreSQL unreachable, dead letter not
// writable) reject to the transport, which then delivers the message again.
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { counter, trackConsumerLag } from './metrics';
import { REDRIVE_FOR_HEADER } from './redrive';
import { quoteSchema } from './sql';
import { backoffMs, errorSummary, sleep } from './timing';
import { headerGetter, TRACER_NAME } from './tracing';
import type { IncomingMessage, Subscription, Transport } from './transport';

export type ParseResult<E> = { ok: true; event: E } | { ok: false; reason: string };

export type DeadLetterReason = 'invalid' | 'processing-failed';

export type ConsumerOptions<E extends { eventId: string }> = Readonly<{
  /** Consumer group id; also the key of this consumer's processed-event records. */
  name: string;
  topics: readonly string[];
  transport: Transport;
  pool: Pool;
  schema: string;
  /** Validates the parsed JSON (e.g. a zod safeParse). The reason ends up in the dead letter. */
  parse: (json: unknown) => ParseResult<E>;
  /** Applies the event using `tx` only; it commits together with the processed-event record. */
  handle: (event: E, tx: PoolClient) => Promise<void>;
  /**
   * Optional: applies a run of new events (in order, duplicates already left out) in one go, using `tx`
   * only, e.g. with multi-row statements. Must do what `handle` does for each, in order; `handle` is
   * still used when a batch falls back to one message at a time.
   */
  handleMany?: (events: readonly E[], tx: PoolClient) => Promise<void>;
  maxAttempts?: number;
  retryBaseMs?: number;
  deadLetterTopic?: string;
  logger: Logger;
  registry?: Registry;
}>;

export type MessageConsumer = Readonly<{
  start(): Promise<void>;
  stop(): Promise<void>;
}>;

type Outcome = 'processed' | 'duplicate' | 'dead-lettered' | 'skipped';
/** A handler's own error, carried out of the transaction so that it rolls back and is told apart. */
class HandlerFailed extends Error {
  constructor(
    cause: unknown,
    /** In a batch: the message whose handler failed. */
    readonly index = -1,
  ) {
    super('handler failed', { cause });
  }
}

type Attempt = { kind: 'processed' } | { kind: 'duplicate' } | { kind: 'failed'; error: unknown };

// PostgreSQL text and jsonb cannot hold NUL; a poison message must still be storable.
const storable = (text: string): string => text.replaceAll('\u0000', '\uFFFD');

const describeError = (error: unknown): string => {
  const { name, message } = errorSummary(error);
  return `${name}: ${message}`;
};

export const createConsumer = <E extends { eventId: string }>(options: ConsumerOptions<E>): MessageConsumer => {
  const { name, topics, transport, pool, parse, handle } = options;
  const maxAttempts = options.maxAttempts ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 100;
  const deadLetterTopic = options.deadLetterTopic ?? `${name}.dlq`;
  const schema = quoteSchema(options.schema);
  const log = options.logger.child({ consumer: name });
  const messagesTotal = counter(
    options.registry,
    'wor_messaging_consumer_messages_total',
    'Messages handled by consumers, by outcome (processed, duplicate, dead-lettered, retried)',
    ['consumer', 'outcome'],
  );
  const tracer = trace.getTracer(TRACER_NAME);

  const deadLetter = async (
    message: IncomingMessage,
    reason: DeadLetterReason,
    error: string,
    eventId: string | null,
  ): Promise<void> => {
    // The row first: with the in-process transport nobody may listen on the DLQ topic.
    await pool.query(
      `INSERT INTO ${schema}.dead_letters
         (consumer, topic, partition, "offset", message_key, value, headers, reason, error, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        name,
        message.topic,
        message.partition,
        message.offset,
        message.key === null ? null : storable(message.key),
        storable(message.value),
        JSON.stringify(Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [storable(k), storable(v)]))),
        reason,
        storable(error),
        eventId,
      ],
    );
    await transport.publish(deadLetterTopic, [
      {
        key: message.key ?? '',
        value: message.value,
        headers: {
          ...message.headers,
          'dlq-reason': reason,
          'dlq-error': error,
          'dlq-original-topic': message.topic,
          'dlq-original-partition': String(message.partition),
          'dlq-original-offset': message.offset,
          'dlq-consumer': name,
        },
      },
    ]);
    messagesTotal.inc({ consumer: name, outcome: 'dead-lettered' });
    log.warn(
      { topic: message.topic, partition: message.partition, offset: message.offset, eventId, reason, deadLetterTopic },
      'Message dead-lettered',
    );
  };

  const attempt = (event: E): Promise<Attempt> =>
    withTransaction(pool, async (client): Promise<Attempt> => {
      const inserted = await client.query(
        `INSERT INTO ${schema}.processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [name, event.eventId],
      );
      if (inserted.rowCount === 0) return { kind: 'duplicate' };
      try {
        await handle(event, client);
      } catch (error) {
        throw new HandlerFailed(error);
      }
      return { kind: 'processed' };
    }).catch((error: unknown) => {
      // The handler's failure rolled its changes and the record back; anything else is infrastructure.
      if (error instanceof HandlerFailed) return { kind: 'failed', error: error.cause };
      throw error;
    });

  /** A message the consumer is not to apply, or the event it carries. */
  type Checked = { kind: 'skip' } | { kind: 'invalid'; reason: string; error: string } | { kind: 'event'; event: E };

  const check = (message: IncomingMessage): Checked => {
    // A re-driven dead letter goes back to its original topic, but only the group it was dead-lettered
    // by takes it; the other groups on the topic had their own outcome already.
    const redriveFor = message.headers[REDRIVE_FOR_HEADER];
    if (redriveFor !== undefined && redriveFor !== name) return { kind: 'skip' };
    let json: unknown;
    try {
      json = JSON.parse(message.value);
    } catch {
      return { kind: 'invalid', reason: 'invalid', error: 'value is not valid JSON' };
    }
    let parsed: ParseResult<E>;
    try {
      parsed = parse(json);
    } catch (error) {
      parsed = { ok: false, reason: describeError(error) };
    }
    return parsed.ok
      ? { kind: 'event', event: parsed.event }
      : { kind: 'invalid', reason: 'invalid', error: parsed.reason };
  };

  /** Outcomes that need no transaction: skipped, or dead-lettered as invalid. */
  const settleUnapplied = async (message: IncomingMessage, checked: Checked): Promise<Outcome | undefined> => {
    if (checked.kind === 'skip') {
      messagesTotal.inc({ consumer: name, outcome: 'skipped' });
      return 'skipped';
    }
    if (checked.kind === 'invalid') {
      await deadLetter(message, 'invalid', checked.error, null);
      return 'dead-lettered';
    }
    return undefined;
  };

  /** `firstTry`: the outcome of a first attempt made already (in a batch that rolled back). */
  const applyWithRetries = async (message: IncomingMessage, event: E, firstTry?: Attempt): Promise<Outcome> => {
    for (let attemptNo = 1; ; attemptNo++) {
      const result = attemptNo === 1 && firstTry ? firstTry : await attempt(event);
      switch (result.kind) {
        case 'processed':
          messagesTotal.inc({ consumer: name, outcome: 'processed' });
          return 'processed';
        case 'duplicate':
          messagesTotal.inc({ consumer: name, outcome: 'duplicate' });
          log.debug({ eventId: event.eventId }, 'Duplicate skipped');
          return 'duplicate';
        case 'failed':
          if (attemptNo >= maxAttempts) {
            await deadLetter(message, 'processing-failed', describeError(result.error), event.eventId);
            return 'dead-lettered';
          }
          messagesTotal.inc({ consumer: name, outcome: 'retried' });
          log.warn(
            { eventId: event.eventId, attempt: attemptNo, err: errorSummary(result.error) },
            'Handler failed; retrying',
          );
          await sleep(backoffMs(attemptNo, retryBaseMs, 5_000));
          break;
        default: {
          const unreachable: never = result;
          throw new Error(`Unexpected attempt result ${String(unreachable)}`);
        }
      }
    }
  };

  const processMessage = async (message: IncomingMessage): Promise<Outcome> => {
    const checked = check(message);
    return (await settleUnapplied(message, checked)) ?? applyWithRetries(message, (checked as { event: E }).event);
  };

  /**
   * A run of one partition's messages: the new events' records in one multi-row insert and their
   * effects in the same transaction (one commit for the run). When a handler fails, the run rolls back
   * as a whole and falls back to one message at a time, so only the failing message is dead-lettered.
   * Each message's work runs in the context of its own span (`within`).
   */
  const processBatch = async (
    messages: readonly IncomingMessage[],
    within: <T>(index: number, work: () => Promise<T>) => Promise<T>,
  ): Promise<Outcome[]> => {
    const checked = messages.map(check);
    const outcomes: (Outcome | undefined)[] = messages.map(() => undefined);
    // The first message with an event id applies it; later ones in the run are its duplicates.
    const firstOf = new Map<string, number>();
    checked.forEach((c, i) => {
      if (c.kind === 'event' && !firstOf.has(c.event.eventId)) firstOf.set(c.event.eventId, i);
    });
    const ids = [...firstOf.keys()];
    const applied = await withTransaction(pool, async (client): Promise<Set<string>> => {
      if (ids.length === 0) return new Set();
      const { rows } = await client.query<{ event_id: string }>(
        `INSERT INTO ${schema}.processed_events (consumer, event_id)
         SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [name, ids],
      );
      const fresh = new Set(rows.map((r) => r.event_id));
      const todo = ids.filter((id) => fresh.has(id)).map((id) => firstOf.get(id)!);
      const { handleMany } = options;
      if (handleMany) {
        const events = todo.map((i) => (checked[i] as { event: E }).event);
        if (events.length > 0)
          await within(todo[0]!, () => handleMany(events, client)).catch((error: unknown) => {
            throw new HandlerFailed(error);
          });
      } else {
        for (const i of todo)
          await within(i, () => handle((checked[i] as { event: E }).event, client)).catch((error: unknown) => {
            throw new HandlerFailed(error, i);
          });
      }
      return fresh;
    }).catch((error: unknown) => {
      if (error instanceof HandlerFailed) return error;
      throw error;
    });
    if (applied instanceof HandlerFailed) {
      // Everything rolled back: one at a time now. The failing message's try in the batch counts as its first.
      log.debug({ messages: messages.length }, 'Batch failed; handling its messages one at a time');
      for (let i = 0; i < messages.length; i++)
        outcomes[i] = await within(i, async () => {
          const c = checked[i]!;
          const firstTry: Attempt | undefined =
            i === applied.index ? { kind: 'failed', error: applied.cause } : undefined;
          return (
            (await settleUnapplied(messages[i]!, c)) ??
            applyWithRetries(messages[i]!, (c as { event: E }).event, firstTry)
          );
        });
      return outcomes as Outcome[];
    }
    for (let i = 0; i < messages.length; i++) {
      const c = checked[i]!;
      if (c.kind !== 'event') outcomes[i] = await within(i, () => settleUnapplied(messages[i]!, c));
      else {
        const outcome: Outcome =
          firstOf.get(c.event.eventId) === i && applied.has(c.event.eventId) ? 'processed' : 'duplicate';
        messagesTotal.inc({ consumer: name, outcome });
        if (outcome === 'duplicate') log.debug({ eventId: c.event.eventId }, 'Duplicate skipped');
        outcomes[i] = outcome;
      }
    }
    return outcomes as Outcome[];
  };

  const attributesOf = (message: IncomingMessage) => ({
    'messaging.system': transport.kind === 'kafka' ? 'kafka' : 'in-process',
    'messaging.destination.name': message.topic,
    'messaging.operation.type': 'process',
    'messaging.consumer.group.name': name,
    'messaging.destination.partition.id': String(message.partition),
    'messaging.kafka.offset': Number(message.offset),
  });

  /**
   * One message's span. Over Kafka, one message at a time, the kafkajs instrumentation's CONSUMER span is
   * active: handling is a step inside it. Otherwise (in-process, or an uninstrumented process) this span
   * continues the message's trace. In a batch the instrumentation's active span is its poll, in a trace
   * of its own: the message's trace is continued with a CONSUMER span and, where the instrumentation
   * runs, the handling as a step inside it, the shape a single message gets.
   */
  const spanOf = (message: IncomingMessage, batched: boolean): { span: Span; context: Context; outer?: Span } => {
    const instrumented = trace.getActiveSpan() !== undefined;
    const fromHeaders = () => propagation.extract(ROOT_CONTEXT, message.headers, headerGetter);
    const start = (kind: SpanKind, parent: Context) =>
      tracer.startSpan(`${message.topic} process`, { kind, attributes: attributesOf(message) }, parent);
    if (!batched || !instrumented) {
      const parent = instrumented ? context.active() : fromHeaders();
      const span = start(instrumented ? SpanKind.INTERNAL : SpanKind.CONSUMER, parent);
      return { span, context: trace.setSpan(parent, span) };
    }
    const outer = start(SpanKind.CONSUMER, fromHeaders());
    const within = trace.setSpan(fromHeaders(), outer);
    const span = start(SpanKind.INTERNAL, within);
    return { span, context: trace.setSpan(within, span), outer };
  };

  const failed = (message: IncomingMessage, span: Span, error: unknown): void => {
    span.recordException(errorSummary(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    log.error(
      { topic: message.topic, partition: message.partition, offset: message.offset, err: errorSummary(error) },
      'Message not processed; it will be delivered again',
    );
  };

  const onMessage = async (message: IncomingMessage): Promise<void> => {
    const { span, context: spanContext } = spanOf(message, false);
    try {
      const outcome = await context.with(spanContext, () => processMessage(message));
      span.setAttribute('wor.messaging.outcome', outcome);
    } catch (error) {
      failed(message, span, error);
      throw error;
    } finally {
      span.end();
    }
  };

  const onBatch = async (messages: readonly IncomingMessage[]): Promise<void> => {
    const spans = messages.map((message) => spanOf(message, true));
    try {
      const within = <T>(i: number, work: () => Promise<T>) => context.with(spans[i]!.context, work);
      const outcomes =
        messages.length === 1
          ? [await within(0, () => processMessage(messages[0]!))]
          : await processBatch(messages, within);
      outcomes.forEach((outcome, i) => spans[i]!.span.setAttribute('wor.messaging.outcome', outcome));
    } catch (error) {
      messages.forEach((message, i) => failed(message, spans[i]!.outer ?? spans[i]!.span, error));
      throw error;
    } finally {
      for (const { span, outer } of spans) {
        span.end();
        outer?.end();
      }
    }
  };

  let subscription: Subscription | undefined;
  let untrackLag: (() => void) | undefined;
  return {
    start: async () => {
      if (subscription) return;
      await transport.ensureTopics([...topics, deadLetterTopic]);
      subscription = await transport.subscribe({ groupId: name, topics, handle: onMessage, handleBatch: onBatch });
      untrackLag = trackConsumerLag(options.registry, { group: name, topics, transport });
    },
    stop: async () => {
      const current = subscription;
      subscription = undefined;
      untrackLag?.();
      untrackLag = undefined;
      await current?.stop();
    },
  };
};
