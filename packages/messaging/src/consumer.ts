// Consumer helper: effect exactly once on top of at-least-once delivery. The processed-event record
// and the handler's read-model changes commit in one PostgreSQL transaction; a redelivered event finds
// its record and is skipped. Poison and persistently failing messages go to a dead letter, so a
// partition is never blocked. Only infrastructure failures (PostgreSQL unreachable, dead letter not
// writable) reject to the transport, which then delivers the message again.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
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
  constructor(cause: unknown) {
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

  const processMessage = async (message: IncomingMessage): Promise<Outcome> => {
    // A re-driven dead letter goes back to its original topic, but only the group it was dead-lettered
    // by takes it; the other groups on the topic had their own outcome already.
    const redriveFor = message.headers[REDRIVE_FOR_HEADER];
    if (redriveFor !== undefined && redriveFor !== name) {
      messagesTotal.inc({ consumer: name, outcome: 'skipped' });
      return 'skipped';
    }
    let json: unknown;
    try {
      json = JSON.parse(message.value);
    } catch {
      await deadLetter(message, 'invalid', 'value is not valid JSON', null);
      return 'dead-lettered';
    }
    let parsed: ParseResult<E>;
    try {
      parsed = parse(json);
    } catch (error) {
      parsed = { ok: false, reason: describeError(error) };
    }
    if (!parsed.ok) {
      await deadLetter(message, 'invalid', parsed.reason, null);
      return 'dead-lettered';
    }

    const event = parsed.event;
    for (let attemptNo = 1; ; attemptNo++) {
      const result = await attempt(event);
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

  const onMessage = (message: IncomingMessage): Promise<void> => {
    // Over Kafka the kafkajs instrumentation's CONSUMER span is active: handling is a step inside it.
    // Otherwise (in-process, or an uninstrumented process) this span continues the message's trace.
    const instrumented = trace.getActiveSpan() !== undefined;
    const parent = instrumented ? context.active() : propagation.extract(ROOT_CONTEXT, message.headers, headerGetter);
    return tracer.startActiveSpan(
      `${message.topic} process`,
      {
        kind: instrumented ? SpanKind.INTERNAL : SpanKind.CONSUMER,
        attributes: {
          'messaging.system': transport.kind === 'kafka' ? 'kafka' : 'in-process',
          'messaging.destination.name': message.topic,
          'messaging.operation.type': 'process',
          'messaging.consumer.group.name': name,
          'messaging.destination.partition.id': String(message.partition),
          'messaging.kafka.offset': Number(message.offset),
        },
      },
      parent,
      async (span) => {
        try {
          const outcome = await processMessage(message);
          span.setAttribute('wor.messaging.outcome', outcome);
        } catch (error) {
          span.recordException(errorSummary(error));
          span.setStatus({ code: SpanStatusCode.ERROR });
          log.error(
            { topic: message.topic, partition: message.partition, offset: message.offset, err: errorSummary(error) },
            'Message not processed; it will be delivered again',
          );
          throw error;
        } finally {
          span.end();
        }
      },
    );
  };

  let subscription: Subscription | undefined;
  let untrackLag: (() => void) | undefined;
  return {
    start: async () => {
      if (subscription) return;
      await transport.ensureTopics([...topics, deadLetterTopic]);
      subscription = await transport.subscribe({ groupId: name, topics, handle: onMessage });
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
