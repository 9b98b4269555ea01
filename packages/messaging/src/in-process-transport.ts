// The embedded (single-process) transport. Same port and guarantees toward consumer code as Kafka,
// with one deliberate difference: there is no log. A group only receives messages published while it
// is subscribed, and `publish` resolves only after every subscribed group has handled them. That keeps
// the relay's checkpoint honest: it advances only when consumers have processed the events, and after
// a restart the relay replays from that checkpoint. So: start consumers before the relay.
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { backoffMs, sleep } from './timing';
import type { IncomingMessage, OutgoingMessage, SubscribeOptions, Subscription, Transport } from './transport';

export type InProcessTransportOptions = Readonly<{
  /** Per-key order is kept by hashing keys onto this many sequential lanes per group. */
  partitions?: number;
  /** Attempts per message and group before `publish` rejects. */
  maxAttempts?: number;
  retryBaseMs?: number;
}>;

type Group = {
  readonly groupId: string;
  readonly topics: ReadonlySet<string>;
  readonly handle: SubscribeOptions['handle'];
  readonly handleBatch: SubscribeOptions['handleBatch'];
  /** Tail of each lane (`topic/partition`); never rejects, so one failure does not poison the lane. */
  readonly lanes: Map<string, Promise<void>>;
  stopped: boolean;
};

class SubscriptionStoppedError extends Error {
  override readonly name = 'SubscriptionStoppedError';
}

/** FNV-1a: cheap, stable hash; only needs to spread keys and keep a key on one lane. */
const hashKey = (key: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
};

export const createInProcessTransport = (options: InProcessTransportOptions = {}): Transport => {
  const partitions = options.partitions ?? 3;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 10;
  const groups = new Map<string, Group>();
  const nextOffsets = new Map<string, bigint>();
  let closed = false;

  const deliverWithRetries = async (group: Group, deliver: () => Promise<void>): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      if (group.stopped) throw new SubscriptionStoppedError(`Group ${group.groupId} stopped`);
      try {
        // Like a broker hop: the consumer starts from the message's headers, not the publisher's context.
        await context.with(ROOT_CONTEXT, deliver);
        return;
      } catch (error) {
        if (attempt >= maxAttempts) throw error;
        await sleep(backoffMs(attempt, retryBaseMs, 1_000));
      }
    }
  };

  // Stops at the first failure: later messages of this publish on the lane are not delivered out of
  // order; the publisher gets the rejection and publishes them again.
  // A group that takes batches gets the lane's messages of this publish in one call, as Kafka's fetch would.
  const deliverInOrder = async (group: Group, messages: readonly IncomingMessage[]): Promise<void> => {
    const { handleBatch } = group;
    if (handleBatch && messages.length > 1) return deliverWithRetries(group, () => handleBatch(messages));
    for (const message of messages) await deliverWithRetries(group, () => group.handle(message));
  };

  const publish = async (topic: string, messages: readonly OutgoingMessage[]): Promise<void> => {
    if (closed) throw new Error('In-process transport is closed');
    const byPartition = new Map<number, IncomingMessage[]>();
    for (const message of messages) {
      const partition = hashKey(message.key) % partitions;
      const offsetKey = `${topic}/${partition}`;
      const offset = nextOffsets.get(offsetKey) ?? 0n;
      nextOffsets.set(offsetKey, offset + 1n);
      const incoming: IncomingMessage = Object.freeze({
        topic,
        partition,
        offset: offset.toString(),
        key: message.key,
        value: message.value,
        headers: Object.freeze({ ...(message.headers ?? {}) }),
      });
      const list = byPartition.get(partition) ?? [];
      list.push(incoming);
      byPartition.set(partition, list);
    }

    const runs: Promise<void>[] = [];
    for (const group of groups.values()) {
      if (!group.topics.has(topic)) continue;
      for (const [partition, list] of byPartition) {
        const lane = `${topic}/${partition}`;
        const run = (group.lanes.get(lane) ?? Promise.resolve()).then(() => deliverInOrder(group, list));
        group.lanes.set(
          lane,
          run.catch(() => undefined),
        );
        runs.push(run);
      }
    }
    // Wait for every group before reporting, so a rejection never leaves deliveries running unseen.
    const results = await Promise.allSettled(runs);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `Delivery failed for ${failures.length} lanes`);
  };

  const subscribe = async (subscribeOptions: SubscribeOptions): Promise<Subscription> => {
    if (closed) throw new Error('In-process transport is closed');
    if (groups.has(subscribeOptions.groupId)) {
      throw new Error(`Group ${subscribeOptions.groupId} is already subscribed in this process`);
    }
    const group: Group = {
      groupId: subscribeOptions.groupId,
      topics: new Set(subscribeOptions.topics),
      handle: subscribeOptions.handle,
      handleBatch: subscribeOptions.handleBatch,
      lanes: new Map(),
      stopped: false,
    };
    groups.set(group.groupId, group);
    return {
      stop: async () => {
        if (group.stopped) return;
        group.stopped = true;
        groups.delete(group.groupId);
        await Promise.all(group.lanes.values());
      },
    };
  };

  return {
    kind: 'in-process',
    ensureTopics: async () => {},
    publish,
    subscribe,
    isReachable: async () => !closed,
    close: async () => {
      closed = true;
      await Promise.all(
        [...groups.values()].map(async (group) => {
          group.stopped = true;
          groups.delete(group.groupId);
          await Promise.all(group.lanes.values());
        }),
      );
    },
  };
};
