// A relay in its own process, for the crash test: runs on the BUILT packages (dist), like production.
// Env: DATABASE_URL, SCHEMA, KAFKA_BROKERS, TOPIC, RELAY_NAME, BATCH_SIZE, SLOW_MS.
// With SLOW_MS > 0 each batch is published in two halves with a pause between them and "half <n>" is
// printed in between, so the test can SIGKILL it mid-batch: published, but not checkpointed.
'use strict';
const path = require('node:path');
const { Pool } = require('pg');
const pino = require('pino');
const { createPostgresEventStore } = require('@wor/event-store-postgres');
const { createKafkaTransport, createRelay, integrationEventId } = require(path.join(__dirname, '../../dist'));

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const slowMs = Number(process.env.SLOW_MS ?? '0');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line) => process.stdout.write(`${line}\n`);

// Same mapping as mapToIntegration in fixtures.ts (deterministic ids).
const map = (event) => [
  {
    eventId: integrationEventId(event.eventId, 0),
    type: 'TestHappened',
    schemaVersion: 1,
    occurredAt: event.recordedAt.toISOString(),
    producer: 'referral',
    municipality: null,
    subjectId: null,
    data: { n: event.data.n, domainEventId: event.eventId },
  },
];

const main = async () => {
  const pool = new Pool({ connectionString: env('DATABASE_URL'), max: 3 });
  const schema = env('SCHEMA');
  const kafka = createKafkaTransport({ brokers: env('KAFKA_BROKERS').split(','), clientId: 'relay-process' });
  const transport = {
    ...kafka,
    publish: async (topic, messages) => {
      if (slowMs <= 0) return kafka.publish(topic, messages);
      const half = Math.ceil(messages.length / 2);
      await kafka.publish(topic, messages.slice(0, half));
      say(`half ${half}`);
      await sleep(slowMs);
      await kafka.publish(topic, messages.slice(half));
    },
  };
  const relay = createRelay({
    name: env('RELAY_NAME'),
    store: createPostgresEventStore({ pool, schema }),
    pool,
    schema,
    transport,
    topic: env('TOPIC'),
    map,
    batchSize: Number(process.env.BATCH_SIZE ?? '100'),
    logger: pino({ level: 'warn' }, pino.destination(2)),
  });
  let total = 0;
  for (;;) {
    const published = await relay.runOnce();
    if (published === 0) break;
    total += published;
    say(`published ${total}`);
  }
  say('done');
  await kafka.close();
  await pool.end();
};

main().catch((error) => {
  process.stderr.write(`relay-process failed: ${error && error.stack}\n`);
  process.exit(1);
});
