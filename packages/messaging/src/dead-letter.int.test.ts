// Poison and failing messages over real Kafka: they land in the DLQ topic and in dead_letters, and
// the events after them are still processed.
import { uniqueName } from '@wor/test-support';
import { createConsumer } from './consumer';
import {
  countingHandle,
  parseTestEvent,
  setUpDb,
  testEvent,
  testLogger,
  waitFor,
  type TestDb,
  type TestEvent,
} from './testing/fixtures';
import { collect, kafkaTestTransport } from './testing/kafka';
import type { Transport } from './transport';

const event = (n: number): TestEvent => testEvent(n, `domain-${n}`);

describe('dead letters (real Kafka, real PostgreSQL)', () => {
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

  it('sends invalid and repeatedly failing messages to the DLQ topic and table, and keeps going', async () => {
    const topic = uniqueName('poison');
    const name = uniqueName('poison_consumer');
    const consumer = createConsumer<TestEvent>({
      name,
      topics: [topic],
      transport,
      pool: db.pool,
      schema: db.schema,
      parse: parseTestEvent,
      handle: async (e, tx) => {
        if (e.data.n === 4) throw new Error('cannot apply n=4');
        await countingHandle(e, tx, db.schema);
      },
      retryBaseMs: 10,
      logger: testLogger(),
    });
    await consumer.start();

    await transport.publish(topic, [
      { key: 'same', value: JSON.stringify(event(1)) },
      { key: 'same', value: '{"eventId": oops', headers: { type: 'TestHappened' } },
      { key: 'same', value: JSON.stringify({ ...event(2), eventId: 'not-a-uuid' }) },
      { key: 'same', value: JSON.stringify(event(3)) },
      { key: 'same', value: JSON.stringify(event(4)) },
      { key: 'same', value: JSON.stringify(event(5)) },
    ]);

    await waitFor(async () => (await db.counts()).size === 3, 30_000, 'events 1, 3 and 5 applied');
    const counts = await db.counts();
    expect([...counts.keys()].sort()).toEqual([event(1), event(3), event(5)].map((e) => e.eventId).sort());

    const deadLetters = await db.deadLetters();
    expect(deadLetters.map((d) => d.reason)).toEqual(['invalid', 'invalid', 'processing-failed']);
    expect(deadLetters[2]).toMatchObject({ error: 'Error: cannot apply n=4', event_id: event(4).eventId });

    const dlq = await collect(transport, [`${name}.dlq`], (m) => m.length >= 3);
    expect(dlq.map((m) => m.headers['dlq-reason'])).toEqual(['invalid', 'invalid', 'processing-failed']);
    expect(dlq[0]).toMatchObject({
      key: 'same',
      value: '{"eventId": oops',
      headers: {
        type: 'TestHappened', // original headers are kept
        'dlq-error': 'value is not valid JSON',
        'dlq-original-topic': topic,
        'dlq-consumer': name,
      },
    });
    expect(dlq[1]?.headers['dlq-error']).toContain('eventId');
    expect(dlq[2]?.headers['dlq-original-offset']).toBe('4');
    await consumer.stop();
  });
});
