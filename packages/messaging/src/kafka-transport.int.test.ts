// The Kafka adapter against a real broker.
import { uniqueName } from '@wor/test-support';
import { createKafkaTransport } from './kafka-transport';
import { collect, kafkaTestTransport } from './testing/kafka';
import type { IncomingMessage, Transport } from './transport';

describe('Kafka transport (real broker)', () => {
  let transport: Transport;
  beforeAll(async () => {
    transport = await kafkaTestTransport();
  });
  afterAll(async () => {
    await transport.close();
  });

  it('is reachable, and a wrong address is not (quickly)', async () => {
    expect(await transport.isReachable()).toBe(true);
    const nowhere = createKafkaTransport({ brokers: ['127.0.0.1:1'], clientId: 'probe-test', probeTimeoutMs: 1_000 });
    const started = Date.now();
    expect(await nowhere.isReachable()).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_500);
    await nowhere.close();
  });

  it('round-trips keys, values and headers, in order per key', async () => {
    const topic = uniqueName('roundtrip');
    await transport.ensureTopics([topic]);
    await transport.ensureTopics([topic]); // idempotent
    await transport.publish(topic, [
      {
        key: 'a',
        value: 'a1',
        headers: { type: 'T', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      },
      { key: 'b', value: 'b1' },
      { key: 'a', value: 'a2', headers: { type: 'T' } },
    ]);
    await transport.publish(topic, [{ key: 'a', value: 'a3' }]);

    const messages = await collect(transport, [topic], (m) => m.length >= 4);
    const byKey = (key: string) => messages.filter((m) => m.key === key).map((m) => m.value);
    expect(byKey('a')).toEqual(['a1', 'a2', 'a3']);
    expect(byKey('b')).toEqual(['b1']);
    const a1 = messages.find((m) => m.value === 'a1');
    expect(a1).toMatchObject({
      topic,
      headers: { type: 'T', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    expect(a1?.offset).toMatch(/^\d+$/);
    expect(new Set(messages.filter((m) => m.key === 'a').map((m) => m.partition)).size).toBe(1);
  });

  it('delivers a message again when handle rejects, without skipping to the next', async () => {
    const topic = uniqueName('redeliver');
    await transport.ensureTopics([topic]);
    await transport.publish(topic, [
      { key: 'k', value: 'm1' },
      { key: 'k', value: 'm2' },
      { key: 'k', value: 'm3' },
    ]);
    const seen: string[] = [];
    let failedOnce = false;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const subscription = await transport.subscribe({
      groupId: uniqueName('redeliver'),
      topics: [topic],
      handle: async (message: IncomingMessage) => {
        seen.push(message.value);
        if (message.value === 'm2' && !failedOnce) {
          failedOnce = true;
          throw new Error('transient');
        }
        if (message.value === 'm3') finish();
      },
    });
    await done;
    await subscription.stop();
    expect(seen).toEqual(['m1', 'm2', 'm2', 'm3']);
  });
});
