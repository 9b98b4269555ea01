// A run of one partition's messages is applied in one transaction (one multi-row processed-event
// insert); a duplicate in it is applied once, a poison message is dead-lettered and its neighbours are
// still applied, in order. In-process and over real Kafka.
import { uniqueName } from '@wor/test-support';
import type { PoolClient } from 'pg';
import { createConsumer } from './consumer';
import { createInProcessTransport } from './in-process-transport';
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
import { kafkaTestTransport } from './testing/kafka';
import type { Transport } from './transport';

const event = (n: number): TestEvent => testEvent(n, `batch-domain-${n}`);

const txId = async (tx: PoolClient): Promise<string> =>
  (await tx.query<{ id: string }>('SELECT txid_current()::text AS id')).rows[0]!.id;

describe.each([
  ['in-process', async () => createInProcessTransport()],
  ['Kafka', kafkaTestTransport],
])('batched consumer (%s transport)', (_kind, makeTransport: () => Promise<Transport>) => {
  let db: TestDb;
  let transport: Transport;
  beforeAll(async () => {
    db = await setUpDb();
    transport = await makeTransport();
  });
  afterAll(async () => {
    await transport?.close();
    await db?.close();
  });

  it('applies a run in one transaction, a duplicate once, dead-letters the poison and keeps its neighbours', async () => {
    const topic = uniqueName('batch');
    await transport.ensureTopics([topic]);
    const seen: { n: number; tx: string }[] = [];
    const consumer = createConsumer<TestEvent>({
      name: uniqueName('batch_consumer'),
      topics: [topic],
      transport,
      pool: db.pool,
      schema: db.schema,
      parse: parseTestEvent,
      handle: async (e, tx) => {
        if (e.data.n === 4) throw new Error('cannot apply n=4');
        seen.push({ n: e.data.n, tx: await txId(tx) });
        await countingHandle(e, tx, db.schema);
      },
      retryBaseMs: 10,
      logger: testLogger(),
    });
    await consumer.start();

    // A clean run first: one transaction for all three.
    await transport.publish(
      topic,
      [1, 2, 3].map((n) => ({ key: 'same', value: JSON.stringify(event(n)) })),
    );
    await waitFor(async () => (await db.counts()).size === 3, 30_000, 'events 1-3 applied');
    if (_kind === 'in-process') expect(new Set(seen.map((s) => s.tx)).size).toBe(1);
    expect(seen.map((s) => s.n)).toEqual([1, 2, 3]);

    // Then a run with a redelivered event (3), a duplicate inside the run (5 twice), poison and a failure.
    seen.length = 0;
    await transport.publish(topic, [
      { key: 'same', value: JSON.stringify(event(3)) },
      { key: 'same', value: JSON.stringify(event(5)) },
      { key: 'same', value: '{"eventId": oops' },
      { key: 'same', value: JSON.stringify(event(5)) },
      { key: 'same', value: JSON.stringify(event(4)) },
      { key: 'same', value: JSON.stringify(event(6)) },
    ]);
    await waitFor(async () => (await db.counts()).size === 5, 30_000, 'events 5 and 6 applied');
    await waitFor(async () => (await db.deadLetters()).length === 2, 30_000, 'two dead letters');
    const counts = await db.counts();
    expect([...counts.values()]).toEqual([1, 1, 1, 1, 1]);
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 5, 6].map((n) => event(n).eventId).sort());
    // Applied in order, each once: 5 before 6, whatever the batch attempt did before it rolled back.
    expect(seen.filter((s) => s.n !== 5 && s.n !== 6)).toEqual([]);
    expect(seen.map((s) => s.n).slice(-2)).toEqual([5, 6]);
    const deadLetters = await db.deadLetters();
    expect(deadLetters.map((d) => d.reason)).toEqual(['invalid', 'processing-failed']);
    expect(deadLetters[1]).toMatchObject({ error: 'Error: cannot apply n=4', event_id: event(4).eventId });
    await consumer.stop();
  });

  it('hands a run of new events to handleMany once, duplicates left out', async () => {
    const topic = uniqueName('many');
    await transport.ensureTopics([topic]);
    const calls: number[][] = [];
    const consumer = createConsumer<TestEvent>({
      name: uniqueName('many_consumer'),
      topics: [topic],
      transport,
      pool: db.pool,
      schema: db.schema,
      parse: parseTestEvent,
      handle: (e, tx) => countingHandle(e, tx, db.schema),
      handleMany: async (events, tx) => {
        calls.push(events.map((e) => e.data.n));
        for (const e of events) await countingHandle(e, tx, db.schema);
      },
      logger: testLogger(),
    });
    await consumer.start();
    const before = (await db.counts()).size;
    await transport.publish(
      topic,
      [11, 12, 11, 13].map((n) => ({ key: 'same', value: JSON.stringify(event(n)) })),
    );
    await waitFor(async () => (await db.counts()).size === before + 3, 30_000, 'events 11-13 applied');
    expect(calls.flat()).toEqual([11, 12, 13]);
    if (_kind === 'in-process') expect(calls).toEqual([[11, 12, 13]]);
    await consumer.stop();
  });
});
