// Kafka helpers of the integration tests. Brokers come from KAFKA_BROKERS, else testcontainers:
// without either the tests fail loudly instead of passing silently.
import { kafkaBrokers, uniqueName } from '@wor/test-support';
import { createKafkaTransport } from '../kafka-transport';
import type { IncomingMessage, Transport } from '../transport';
import { testLogger } from './fixtures';

export const kafkaTestTransport = async (): Promise<Transport> =>
  createKafkaTransport({ brokers: await kafkaBrokers(), clientId: uniqueName('test'), logger: testLogger() });

/** Subscribes a fresh group (reads from the beginning) and collects until `until` holds. */
export const collect = async (
  transport: Transport,
  topics: readonly string[],
  until: (messages: readonly IncomingMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<IncomingMessage[]> => {
  const messages: IncomingMessage[] = [];
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const subscription = await transport.subscribe({
    groupId: uniqueName('collector'),
    topics,
    handle: async (message) => {
      messages.push(message);
      if (until(messages)) finish();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      done,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `collect(${topics.join(',')}): condition not met after ${timeoutMs} ms (${messages.length} messages)`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await subscription.stop();
  }
  return messages;
};
