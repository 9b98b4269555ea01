// The transport port: Kafka in the distributed setup, in-process in the embedded default.
// Both give the same guarantees to the consumer code: at-least-once, in order per key.

export type OutgoingMessage = Readonly<{
  /** Partition key: the subject or aggregate id, so one referral's events stay ordered. */
  key: string;
  /** JSON text of the integration event. */
  value: string;
  headers?: Readonly<Record<string, string>>;
}>;

export type IncomingMessage = Readonly<{
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Readonly<Record<string, string>>;
}>;

export type SubscribeOptions = Readonly<{
  /** Consumer group: each group receives every message once (at least once). */
  groupId: string;
  topics: readonly string[];
  /** Resolve to acknowledge; reject to have it delivered again. Calls for one partition are sequential. */
  handle: (message: IncomingMessage) => Promise<void>;
  /**
   * Optional: a run of one partition's messages, in order, in one call (resolve acknowledges them all,
   * reject has them all delivered again). Where given, the transport uses it instead of `handle`.
   */
  handleBatch?: (messages: readonly IncomingMessage[]) => Promise<void>;
}>;

export type ConsumerLag = Readonly<{ topic: string; partition: number; lag: number }>;

export interface Subscription {
  stop(): Promise<void>;
}

export interface Transport {
  readonly kind: 'kafka' | 'in-process';
  ensureTopics(topics: readonly string[]): Promise<void>;
  /** Resolves once the messages are durably accepted (Kafka: acks from all in-sync replicas). */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** For readiness probes. */
  isReachable(): Promise<boolean>;
  /** Per partition: messages after the group's committed offset (Kafka). Absent where there is no log. */
  consumerLag?(groupId: string, topics: readonly string[]): Promise<readonly ConsumerLag[]>;
  close(): Promise<void>;
}
