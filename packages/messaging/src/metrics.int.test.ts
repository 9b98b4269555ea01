// Messaging metrics on real Kafka and PostgreSQL: the relay counts the domain events it reads (the
// append rate), and the consumer lag per group and partition comes from the broker's offsets at
// scrape time, rising while the handler is stuck and back to zero after it catches up.
import { uniqueName } from '@wor/test-support';
import { Registry } from 'prom-client';
import { createConsumer } from './consumer';
import { exposeMessagingMetrics, messagingRegistry } from './metrics';
import { createRelay } from './relay';
import {
  appendNumbered,
  countingHandle,
  mapToIntegration,
  parseTestEvent,
  setUpDb,
  testLogger,
  waitFor,
  type TestDb,
  type TestEvent,
} from './testing/fixtures';
import { kafkaTestTransport } from './testing/kafka';
import type { Transport } from './transport';

/** Runs the relay until it published `count` (readAll only returns events of settled transactions). */
const relayAll = async (relay: { runOnce(): Promise<number> }, count: number) => {
  let total = 0;
  await waitFor(async () => (total += await relay.runOnce()) >= count, 30_000, `the relay to publish ${count}`);
};

const valuesOf = async (registry: Registry, name: string) =>
  (await registry.getSingleMetric(name)?.get())?.values ?? [];

describe('messaging metrics (real Kafka, real PostgreSQL)', () => {
  let db: TestDb;
  let transport: Transport;
  beforeAll(async () => {
    db = await setUpDb();
    transport = await kafkaTestTransport();
  });
  afterAll(async () => {
    await transport?.close();
    await db?.close();
  });

  it('exposes the relay read counter and the consumer lag per partition', async () => {
    const registry = new Registry();
    const topic = uniqueName('metrics');
    const group = uniqueName('metrics_group');
    const relayName = uniqueName('metrics_relay');
    const relay = createRelay({
      name: relayName,
      store: db.store,
      pool: db.pool,
      schema: db.schema,
      transport,
      topic,
      map: mapToIntegration,
      logger: testLogger(),
      registry,
    });
    let gateOpen = true;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const consumer = createConsumer<TestEvent>({
      name: group,
      topics: [topic],
      transport,
      pool: db.pool,
      schema: db.schema,
      parse: parseTestEvent,
      handle: async (e, tx) => {
        if (!gateOpen) await gate;
        await countingHandle(e, tx, db.schema);
      },
      logger: testLogger(),
      registry,
    });
    await consumer.start();

    await appendNumbered(db.store, 0, 30, 3);
    await relayAll(relay, 30);
    expect(await valuesOf(registry, 'wor_messaging_relay_events_read_total')).toEqual([
      expect.objectContaining({ labels: { relay: relayName }, value: 30 }),
    ]);
    const lagSum = async () => {
      const values = await valuesOf(registry, 'wor_messaging_consumer_lag_messages');
      return { partitions: values.length, sum: values.reduce((s, v) => s + v.value, 0), labels: values[0]?.labels };
    };
    await waitFor(
      async () => (await db.counts()).size === 30 && (await lagSum()).sum === 0,
      30_000,
      'the first 30 processed and committed',
    );
    expect(await lagSum()).toMatchObject({ partitions: 3, sum: 0, labels: { consumer: group, topic } });

    // The handler gets stuck: the lag is what the group has not committed.
    gateOpen = false;
    await appendNumbered(db.store, 30, 12, 3);
    await relayAll(relay, 12);
    await waitFor(async () => (await lagSum()).sum === 12, 30_000, 'a lag of 12');

    release();
    await waitFor(
      async () => (await db.counts()).size === 42 && (await lagSum()).sum === 0,
      30_000,
      'the lag back to 0',
    );
    expect(await registry.metrics()).toMatch(
      /wor_messaging_relay_checkpoint_timestamp_seconds\{relay="metrics_relay_[0-9a-f]+"\} \d/,
    );
    await consumer.stop();
    // A stopped group is no longer scraped.
    expect((await lagSum()).partitions).toBe(0);
  });

  it('falls back to the shared messaging registry when none is given, shown in exposed registries', async () => {
    const appRegistry = new Registry();
    exposeMessagingMetrics(appRegistry);
    const relayName = uniqueName('fallback_relay');
    const topic = uniqueName('fallback');
    const relay = createRelay({
      name: relayName,
      store: db.store,
      pool: db.pool,
      schema: db.schema,
      transport,
      topic,
      map: mapToIntegration,
      logger: testLogger(),
    });
    await transport.ensureTopics([topic]);
    await relayAll(relay, 1);
    expect(await messagingRegistry.metrics()).toContain(`wor_messaging_relay_events_read_total{relay="${relayName}"}`);
    expect(await appRegistry.metrics()).toContain(`wor_messaging_relay_events_read_total{relay="${relayName}"}`);
  });
});
