// Relay + consumer over the in-process transport against real PostgreSQL.
import { Registry } from 'prom-client';
import { createConsumer } from './consumer';
import { createInProcessTransport } from './in-process-transport';
import { createRelay, type Relay } from './relay';
import {
  appendNumbered,
  countingHandle,
  mapToIntegration,
  parseTestEvent,
  setUpDb,
  testLogger,
  type TestDb,
  type TestEvent,
} from './testing/fixtures';
import type { Transport } from './transport';

const TOPIC = 'test.events';

describe('relay and consumer (in-process transport, real PostgreSQL)', () => {
  let db: TestDb;
  let transport: Transport;
  const logger = testLogger();

  beforeEach(async () => {
    db = await setUpDb();
    transport = createInProcessTransport({ retryBaseMs: 1 });
  });
  afterEach(async () => {
    await transport.close();
    await db.close();
  });

  const relay = (overrides: Partial<Parameters<typeof createRelay>[0]> = {}): Relay =>
    createRelay({
      name: 'test-relay',
      store: db.store,
      pool: db.pool,
      schema: db.schema,
      transport,
      topic: TOPIC,
      map: mapToIntegration,
      batchSize: 25,
      pollIntervalMs: 20,
      logger,
      ...overrides,
    });

  const consumer = (
    handle?: (event: TestEvent, tx: Parameters<typeof countingHandle>[1]) => Promise<void>,
    registry?: Registry,
  ) =>
    createConsumer<TestEvent>({
      name: 'test-consumer',
      topics: [TOPIC],
      transport,
      pool: db.pool,
      schema: db.schema,
      parse: parseTestEvent,
      handle: handle ?? ((event, tx) => countingHandle(event, tx, db.schema)),
      retryBaseMs: 1,
      logger,
      registry,
    });

  const drain = async (r: Relay) => {
    let total = 0;
    for (let published = -1; published !== 0;) {
      published = await r.runOnce();
      total += published;
    }
    return total;
  };

  const checkpointOf = async (name: string) =>
    (await db.pool.query(`SELECT checkpoint FROM "${db.schema}".relay_checkpoints WHERE name = $1`, [name])).rows[0]
      ?.checkpoint as string | undefined;

  it('applies every appended event exactly once, in batches, and saves the checkpoint', async () => {
    const registry = new Registry();
    await consumer(undefined, registry).start();
    await appendNumbered(db.store, 0, 60);

    expect(await drain(relay({ registry }))).toBe(60);

    const counts = await db.counts();
    expect(counts.size).toBe(60);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await checkpointOf('test-relay')).not.toBe('');
    const metrics = await registry.getMetricsAsJSON();
    expect(JSON.stringify(metrics)).toContain('wor_messaging_consumer_messages_total');
    expect(await registry.getSingleMetricAsString('wor_messaging_relay_published_total')).toMatch(
      /relay="test-relay"} 60/,
    );
  });

  it('applies a message delivered twice once, also when the relay replays everything', async () => {
    await consumer().start();
    await appendNumbered(db.store, 0, 10);
    await drain(relay());

    // Same messages again: publish one directly twice, and rewind the relay to the start.
    const [first] = await db.store.readAll('', 1).then((r) => r.events);
    const again = JSON.stringify(mapToIntegration(first!)[0]);
    await transport.publish(TOPIC, [
      { key: 'k', value: again },
      { key: 'k', value: again },
    ]);
    await db.pool.query(`UPDATE "${db.schema}".relay_checkpoints SET checkpoint = ''`);
    expect(await drain(relay())).toBe(10);

    const counts = await db.counts();
    expect(counts.size).toBe(10);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('dead-letters invalid messages without retry and keeps processing later events', async () => {
    let handled = 0;
    await consumer(async (event, tx) => {
      handled++;
      await countingHandle(event, tx, db.schema);
    }).start();

    await transport.publish(TOPIC, [
      { key: 'k', value: '{not json' },
      { key: 'k', value: JSON.stringify({ eventId: 'not-a-uuid', type: 'X' }) },
    ]);
    await appendNumbered(db.store, 0, 5);
    await drain(relay());

    const deadLetters = await db.deadLetters();
    expect(deadLetters.map((d) => d.reason)).toEqual(['invalid', 'invalid']);
    expect(deadLetters[0]).toMatchObject({ value: '{not json', error: 'value is not valid JSON', event_id: null });
    expect(deadLetters[1]?.error).toContain('eventId');
    expect(handled).toBe(5);
    expect((await db.counts()).size).toBe(5);
  });

  it('retries a failing handler, then dead-letters the event and lets later events flow', async () => {
    const attemptsByN = new Map<number, number>();
    await consumer(async (event, tx) => {
      attemptsByN.set(event.data.n, (attemptsByN.get(event.data.n) ?? 0) + 1);
      await countingHandle(event, tx, db.schema); // rolled back when we throw below
      if (event.data.n === 3) throw new Error('read model rejects n=3');
      if (event.data.n === 5 && attemptsByN.get(5) === 1) throw new Error('transient');
    }).start();

    await appendNumbered(db.store, 0, 8);
    expect(await drain(relay())).toBe(8);

    expect(attemptsByN.get(3)).toBe(3);
    expect(attemptsByN.get(5)).toBe(2);
    const counts = await db.counts();
    expect(counts.size).toBe(7);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const [deadLetter] = await db.deadLetters();
    expect(deadLetter).toMatchObject({ reason: 'processing-failed', error: 'Error: read model rejects n=3' });
    expect(deadLetter?.event_id).toEqual(expect.any(String));
  });

  it('does not advance the checkpoint when publishing fails, and publishes again afterwards', async () => {
    let failing = true;
    await transport.subscribe({
      groupId: 'flaky',
      topics: [TOPIC],
      handle: async () => {
        if (failing) throw new Error('consumer down');
      },
    });
    await consumer().start();
    await appendNumbered(db.store, 0, 5);

    await expect(relay().runOnce()).rejects.toThrow('consumer down');
    expect(await checkpointOf('test-relay')).toBe('');

    failing = false;
    expect(await drain(relay())).toBe(5);
    expect([...(await db.counts()).values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('runs in the background: nudge wakes it, stop lets the batch finish; a second replica skips', async () => {
    await consumer().start();
    const r = relay({ pollIntervalMs: 60_000 });
    r.start();
    await appendNumbered(db.store, 0, 30);
    r.nudge();
    const deadline = Date.now() + 10_000;
    while ((await db.counts()).size < 30 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    await r.stop();
    expect((await db.counts()).size).toBe(30);

    // Another process holding the relay's lock: this one publishes nothing.
    const other = await db.pool.connect();
    try {
      await other.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`wor-relay:${db.schema}.test-relay`]);
      await appendNumbered(db.store, 30, 5);
      expect(await relay().runOnce()).toBe(0);
      await other.query('SELECT pg_advisory_unlock_all()');
    } finally {
      other.release();
    }
    expect(await drain(relay())).toBe(5);
  });

  it('publishes 0..n integration events per domain event, keyed by subject or stream', async () => {
    const seen: { key: string | null; type: string | undefined; eventId: string }[] = [];
    await transport.subscribe({
      groupId: 'spy',
      topics: [TOPIC],
      handle: async (m) =>
        void seen.push({ key: m.key, type: m.headers.type, eventId: (JSON.parse(m.value) as TestEvent).eventId }),
    });
    await appendNumbered(db.store, 0, 3, 3);
    const subject = `sub_${'a'.repeat(32)}`;
    const published = await drain(
      relay({
        map: (e) => {
          const n = (e.data as { n: number }).n;
          const [base] = mapToIntegration(e);
          if (n === 0) return []; // filtered out: nothing for others to know
          if (n === 1)
            return [base!, { ...base!, eventId: `${base!.eventId.slice(0, -1)}0`, type: 'Second', subjectId: subject }];
          return [base!];
        },
      }),
    );
    expect(published).toBe(3);
    expect(seen.map((s) => [s.key, s.type])).toEqual([
      ['thing-0', 'TestHappened'],
      [subject, 'Second'],
      ['thing-0', 'TestHappened'],
    ]);
  });
});
