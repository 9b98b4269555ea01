// Re-driving dead letters after a fix: each letter not yet re-driven is published again to the topic it
// came from, marked for the consumer group that dead-lettered it (other groups on the topic skip it),
// and then marked re-driven. Rows are locked while publishing, so two runs never publish one letter
// twice; a crash between publish and commit publishes it again on the next run, which the consumer's
// processed-event record turns into a no-op. A letter that fails again becomes a new dead letter.
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool } from 'pg';
import { quoteSchema } from './sql';
import type { OutgoingMessage, Transport } from './transport';

/** Header naming the only consumer group that processes a re-driven message. */
export const REDRIVE_FOR_HEADER = 'dlq-redrive-for';
/** Header carrying the dead_letters row id the message was re-driven from. */
export const REDRIVEN_FROM_HEADER = 'dlq-redriven-from';

export type RedriveOptions = Readonly<{
  pool: Pool;
  schema: string;
  transport: Transport;
  /** The consumer group (dead_letters.consumer). */
  consumer: string;
  /** Only these dead_letters ids; all pending ones of the consumer when absent. */
  ids?: readonly number[];
  /** List what would be re-driven without publishing or marking anything. */
  dryRun?: boolean;
  /** After each publish: letters published so far of those to re-drive (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}>;

/** Letters per publish: a long re-drive shows its progress and keeps each send to the broker small. */
const PUBLISH_BATCH = 500;

export type DeadLetterSummary = Readonly<{
  id: number;
  topic: string;
  partition: number;
  offset: string;
  reason: string;
  error: string;
  eventId: string | null;
}>;

export type RedriveResult = Readonly<{ redriven: readonly DeadLetterSummary[]; dryRun: boolean }>;

type Row = {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  value: string;
  headers: Record<string, string>;
  reason: string;
  error: string;
  event_id: string | null;
};

export const redriveDeadLetters = async (options: RedriveOptions): Promise<RedriveResult> => {
  const table = `${quoteSchema(options.schema)}.dead_letters`;
  const dryRun = options.dryRun ?? false;
  return withTransaction(options.pool, async (client) => {
    const { rows } = await client.query<Row>(
      `SELECT id, topic, partition, "offset", message_key, value, headers, reason, error, event_id
         FROM ${table}
        WHERE consumer = $1 AND redriven_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
        ORDER BY id
        FOR UPDATE SKIP LOCKED`,
      [options.consumer, options.ids ? options.ids.map(String) : null],
    );
    const summaries = rows.map((r) => ({
      id: Number(r.id),
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      reason: r.reason,
      error: r.error,
      eventId: r.event_id,
    }));
    // A dry run changes nothing: its commit only releases the row locks.
    if (dryRun || rows.length === 0) return { redriven: summaries, dryRun };
    // Per topic, in the original order, keyed as before: per-key order is kept among re-driven letters.
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push({
        key: row.message_key ?? '',
        value: row.value,
        headers: { ...row.headers, [REDRIVE_FOR_HEADER]: options.consumer, [REDRIVEN_FROM_HEADER]: row.id },
      });
      byTopic.set(row.topic, list);
    }
    let published = 0;
    options.onProgress?.(0, rows.length);
    for (const [topic, messages] of byTopic)
      for (let i = 0; i < messages.length; i += PUBLISH_BATCH) {
        const batch = messages.slice(i, i + PUBLISH_BATCH);
        await options.transport.publish(topic, batch);
        options.onProgress?.((published += batch.length), rows.length);
      }
    await client.query(`UPDATE ${table} SET redriven_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
    return { redriven: summaries, dryRun };
  });
};
