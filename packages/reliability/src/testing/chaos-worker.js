// One relay or one consumer in its own process, on the BUILT packages (dist), as in production; the
// chaos test SIGKILLs and restarts these at random moments.
// Env: ROLE (relay|consumer), DATABASE_URL, SCHEMA, KAFKA_BROKERS, TOPIC, NAME (relay name or group).
// The consumer's read model: per stream, how many events it applied and the sum of their n. It has no
// dedupe of its own, so a message applied twice shows up as a wrong count and sum.
'use strict';
const { Pool } = require('pg');
const pino = require('pino');
const { createPostgresEventStore } = require('@wor/event-store-postgres');
const { createConsumer, createKafkaTransport, createRelay, integrationEventId } = require('@wor/messaging');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const role = env('ROLE');
const schema = env('SCHEMA');
const topic = env('TOPIC');
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));

const main = async () => {
  const pool = new Pool({ connectionString: env('DATABASE_URL'), max: 8 });
  pool.on('error', () => undefined);
  const transport = createKafkaTransport({
    brokers: env('KAFKA_BROKERS').split(','),
    clientId: `chaos-${role}-${process.pid}`,
    sessionTimeoutMs: 6_000,
  });
  if (role === 'relay') {
    const relay = createRelay({
      name: env('NAME'),
      store: createPostgresEventStore({ pool, schema }),
      pool,
      schema,
      transport,
      topic,
      batchSize: 250,
      pollIntervalMs: 20,
      maxBackoffMs: 500,
      logger,
      map: (event) => [
        {
          eventId: integrationEventId(event.eventId, 0),
          type: 'ChaosCounted',
          schemaVersion: 1,
          occurredAt: event.recordedAt.toISOString(),
          producer: 'referral',
          municipality: null,
          subjectId: null,
          data: { stream: event.streamId, n: event.data.n },
        },
      ],
    });
    relay.start();
  } else if (role === 'consumer') {
    const consumer = createConsumer({
      name: env('NAME'),
      topics: [topic],
      transport,
      pool,
      schema,
      parse: (json) => ({ ok: true, event: json }),
      handle: async (event, tx) => {
        await tx.query(
          `INSERT INTO "${schema}".totals (stream, events, sum) VALUES ($1, 1, $2)
           ON CONFLICT (stream) DO UPDATE SET events = totals.events + 1, sum = totals.sum + EXCLUDED.sum`,
          [event.data.stream, event.data.n],
        );
      },
      retryBaseMs: 20,
      logger,
    });
    await consumer.start();
  } else {
    throw new Error(`unknown ROLE ${role}`);
  }
  process.stdout.write('ready\n');
};

main().catch((error) => {
  process.stderr.write(`chaos-worker ${role} failed: ${error && error.stack}\n`);
  process.exit(1);
});
