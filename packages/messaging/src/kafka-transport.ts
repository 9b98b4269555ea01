// Kafka adapter of the transport port (kafkajs). Idempotent producer with one request in flight, so
// retries can neither duplicate nor reorder a partition's messages; acks from all in-sync replicas.
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type IHeaders,
  type KafkaMessage,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import pino, { type Logger } from 'pino';
import { errorSummary } from './timing';
import type { ConsumerLag, IncomingMessage, SubscribeOptions, Subscription, Transport } from './transport';

export type KafkaTransportOptions = Readonly<{
  brokers: readonly string[];
  clientId: string;
  /** kafkajs' own logs go here (its console logger is never used). Silent when absent. */
  logger?: Logger;
  /** Partitions of the topics `ensureTopics` creates. */
  numPartitions?: number;
  /** Timeout of `isReachable`. */
  probeTimeoutMs?: number;
  /**
   * Consumer group session timeout (kafkajs default 30 s): how long a member that died without leaving
   * (SIGKILL) keeps its partitions. Also bounds the rebalance wait. The broker's minimum is 6 s.
   */
  sessionTimeoutMs?: number;
}>;

/** Most messages one `handleBatch` call gets from a Kafka fetch. */
const BATCH_RUN = 100;

const pinoLogCreator = (logger: Logger) => () => (entry: LogEntry) => {
  // kafkajs passes its own timestamp; pino adds one.
  const { message, timestamp: _timestamp, ...extra } = entry.log;
  const fields = { kafkajs: { namespace: entry.namespace, ...extra } };
  // We bound the producer's retries on purpose (see below); kafkajs warns about it on every connect.
  if (message.startsWith('Limiting retries for the idempotent producer')) return logger.debug(fields, message);
  switch (entry.level) {
    case logLevel.ERROR:
      return logger.error(fields, message);
    case logLevel.WARN:
      return logger.warn(fields, message);
    case logLevel.INFO:
      return logger.debug(fields, message); // joins and rebalances: too chatty for info
    case logLevel.DEBUG:
    case logLevel.NOTHING:
      return logger.trace(fields, message);
  }
};

const headerText = (value: IHeaders[string]): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
};

const toHeaders = (headers: IHeaders | undefined): Record<string, string> => {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) result[name] = text;
  }
  return result;
};

/** Caches a connect promise; forgets it when it fails so the next call tries again. */
const lazyConnect = <T>(connect: () => Promise<T>) => {
  let pending: Promise<T> | undefined;
  return {
    get: (): Promise<T> =>
      (pending ??= connect().catch((error: unknown) => {
        pending = undefined;
        throw error;
      })),
    started: () => pending !== undefined,
  };
};

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

export const createKafkaTransport = (options: KafkaTransportOptions): Transport => {
  const logger = options.logger ?? pino({ level: 'silent' });
  const numPartitions = options.numPartitions ?? 3;
  const probeTimeoutMs = options.probeTimeoutMs ?? 3_000;
  const kafkaLogging = {
    logLevel: options.logger ? logLevel.INFO : logLevel.NOTHING,
    logCreator: pinoLogCreator(logger),
  };
  const kafka = new Kafka({ clientId: options.clientId, brokers: [...options.brokers], ...kafkaLogging });

  const producer = lazyConnect(async (): Promise<Producer> => {
    const p = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner, // murmur2, same as the Java client
      // Bounded, so an unreachable cluster surfaces as a rejected publish (the relay backs off and
      // retries) instead of hanging. Duplicates from this are harmless: consumers dedupe by eventId.
      retry: { retries: 8, maxRetryTime: 5_000 },
    });
    await p.connect();
    return p;
  });
  const admin = lazyConnect(async (): Promise<Admin> => {
    const a = kafka.admin();
    await a.connect();
    return a;
  });
  const consumers = new Set<Consumer>();
  let closed = false;

  const ensureTopics = async (topics: readonly string[]): Promise<void> => {
    if (topics.length === 0) return;
    const a = await admin.get();
    try {
      await a.createTopics({
        waitForLeaders: true,
        topics: [...new Set(topics)].map((topic) => ({ topic, numPartitions })),
      });
    } catch (error) {
      // kafkajs already returns false for topics that exist; this covers a concurrent creator.
      const errors = (error as { errors?: { type?: string }[] }).errors;
      if (!errors?.every((e) => e.type === 'TOPIC_ALREADY_EXISTS')) throw error;
    }
  };

  const subscribe = async ({ groupId, topics, handle, handleBatch }: SubscribeOptions): Promise<Subscription> => {
    if (closed) throw new Error('Kafka transport is closed');
    // A short fetch wait (the Java client's default) so stop() does not wait out a 5 s long poll.
    const sessionTimeout = options.sessionTimeoutMs;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      ...(sessionTimeout === undefined
        ? {}
        : {
            sessionTimeout,
            rebalanceTimeout: sessionTimeout,
            heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 6)),
          }),
    });
    consumers.add(consumer);
    // kafkajs restarts a crashed consumer itself (restartOnFailure); log it so a stuck group is visible.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      logger.error({ groupId, restart: payload.restart, err: errorSummary(payload.error) }, 'Kafka consumer crashed');
    });
    try {
      await consumer.connect();
      // fromBeginning only matters for a group without committed offsets: a new group reads all.
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      const incomingOf = (topic: string, partition: number, message: KafkaMessage): IncomingMessage => ({
        topic,
        partition,
        offset: message.offset,
        key: message.key ? message.key.toString('utf8') : null,
        value: message.value ? message.value.toString('utf8') : '',
        headers: toHeaders(message.headers),
      });
      // A rejection propagates: kafkajs does not resolve the offset, backs off, fetches the
      // message again (restarting the consumer when its retries run out). Nothing is committed.
      await consumer.run(
        handleBatch
          ? {
              eachBatchAutoResolve: false,
              // A fetched batch in runs of at most BATCH_RUN messages: bounded transactions, heartbeats between.
              eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
                for (let from = 0; from < batch.messages.length; from += BATCH_RUN) {
                  if (!isRunning() || isStale()) return;
                  const run = batch.messages.slice(from, from + BATCH_RUN);
                  await handleBatch(run.map((m) => incomingOf(batch.topic, batch.partition, m)));
                  resolveOffset(run[run.length - 1]!.offset);
                  await heartbeat();
                }
              },
            }
          : { eachMessage: async ({ topic, partition, message }) => handle(incomingOf(topic, partition, message)) },
      );
    } catch (error) {
      consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    return {
      stop: async () => {
        if (!consumers.delete(consumer)) return;
        await consumer.disconnect();
      },
    };
  };

  const isReachable = async (): Promise<boolean> => {
    // A separate client without retries, so a probe answers quickly and never disturbs the others.
    const probe = new Kafka({
      clientId: `${options.clientId}-probe`,
      brokers: [...options.brokers],
      connectionTimeout: Math.min(1_000, probeTimeoutMs),
      requestTimeout: probeTimeoutMs,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await withTimeout(
        (async () => {
          await probe.connect();
          await probe.describeCluster();
        })(),
        probeTimeoutMs,
      );
      return true;
    } catch (error) {
      logger.warn({ err: errorSummary(error) }, 'Kafka not reachable');
      return false;
    } finally {
      await probe.disconnect().catch(() => undefined);
    }
  };

  // Log end offset minus committed offset; a partition the group never committed counts from the
  // earliest offset still in the log (the group reads from the beginning).
  const consumerLag = async (groupId: string, topics: readonly string[]): Promise<readonly ConsumerLag[]> =>
    withTimeout(
      (async () => {
        const a = await admin.get();
        const committed = await a.fetchOffsets({ groupId, topics: [...topics] });
        const result: ConsumerLag[] = [];
        for (const { topic, partitions } of committed) {
          const ends = await a.fetchTopicOffsets(topic);
          for (const end of ends) {
            const offset = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
            const from = Number(offset) >= 0 ? Number(offset) : Number(end.low);
            result.push({ topic, partition: end.partition, lag: Math.max(0, Number(end.high) - from) });
          }
        }
        return result;
      })(),
      probeTimeoutMs,
    );

  return {
    kind: 'kafka',
    ensureTopics,
    consumerLag,
    publish: async (topic, messages) => {
      if (closed) throw new Error('Kafka transport is closed');
      if (messages.length === 0) return;
      const p = await producer.get();
      await p.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: { ...(m.headers ?? {}) } })),
      });
    },
    subscribe,
    isReachable,
    close: async () => {
      closed = true;
      const all = [...consumers];
      consumers.clear();
      await Promise.allSettled(all.map((c) => c.disconnect()));
      if (producer.started()) await (await producer.get().catch(() => undefined))?.disconnect();
      if (admin.started()) await (await admin.get().catch(() => undefined))?.disconnect();
    },
  };
};
