// Shared setup of the integration tests: a fresh schema with the event store, the messaging tables
// and a read model that counts how often each integration event was applied.
import { AnyEnvelope } from '@wor/contracts';
import { waitUntilReadable, type EventStore, type RecordedEvent } from '@wor/event-store';
import { createPostgresEventStore, migratePostgresEventStore } from '@wor/event-store-postgres';
import { freshSchema } from '@wor/test-support';
import { Pool, type PoolClient } from 'pg';
import pino from 'pino';
import { integrationEventId } from '../integration-event-id';
import { migrateMessaging } from '../sql';
import type { ParseResult } from '../consumer';

export const testLogger = () => pino({ level: process.env.LOG_LEVEL ?? 'silent' });

export type TestDb = Readonly<{
  schema: string;
  databaseUrl: string;
  pool: Pool;
  store: EventStore;
  /** How often each integration event id was applied by `countingHandle`. */
  counts: () => Promise<Map<string, number>>;
  deadLetters: () => Promise<{ reason: string; error: string; value: string; event_id: string | null }[]>;
  close: () => Promise<void>;
}>;

export const setUpDb = async (): Promise<TestDb> => {
  const { schema, databaseUrl, drop } = await freshSchema('msg');
  const pool = new Pool({ connectionString: databaseUrl, max: 6 });
  await migratePostgresEventStore(pool, schema);
  await migrateMessaging(pool, schema);
  await pool.query(`CREATE TABLE "${schema}".counts (event_id text PRIMARY KEY, n int NOT NULL)`);
  const store = createPostgresEventStore({ pool, schema });
  return {
    schema,
    databaseUrl,
    pool,
    store,
    counts: async () => {
      const rows = await pool.query<{ event_id: string; n: number }>(`SELECT event_id, n FROM "${schema}".counts`);
      return new Map(rows.rows.map((r) => [r.event_id, r.n]));
    },
    deadLetters: async () =>
      (await pool.query(`SELECT reason, error, value, event_id FROM "${schema}".dead_letters ORDER BY id`)).rows,
    close: async () => {
      await store.close();
      await pool.end();
      await drop();
    },
  };
};

export type TestEvent = AnyEnvelope & { data: { n: number; domainEventId: string } };

/** A test integration event for domain event `domainEventId`, with its derived id. */
export const testEvent = (
  n: number,
  domainEventId: string,
  { schemaVersion = 1, occurredAt = new Date() }: { schemaVersion?: number; occurredAt?: Date } = {},
): TestEvent => ({
  eventId: integrationEventId(domainEventId, 0),
  type: 'TestHappened',
  schemaVersion,
  occurredAt: occurredAt.toISOString(),
  producer: 'referral',
  municipality: null,
  subjectId: null,
  data: { n, domainEventId },
});

/** The "PII filter" of the tests: one integration event per domain event, with a derived id. */
export const mapToIntegration = (event: RecordedEvent): readonly TestEvent[] => [
  testEvent((event.data as { n: number }).n, event.eventId, { occurredAt: event.recordedAt }),
];

export const parseTestEvent = (json: unknown): ParseResult<TestEvent> => {
  const result = AnyEnvelope.safeParse(json);
  return result.success
    ? { ok: true, event: result.data as TestEvent }
    : { ok: false, reason: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
};

/** Read-model update without any dedupe of its own: a duplicate would show up as n = 2. */
export const countingHandle = async (event: TestEvent, tx: PoolClient, schema: string): Promise<void> => {
  await tx.query(
    `INSERT INTO "${schema}".counts (event_id, n) VALUES ($1, 1) ON CONFLICT (event_id) DO UPDATE SET n = counts.n + 1`,
    [event.eventId],
  );
};

/** Appends `count` events numbered from `from`, spread over streams of `perStream` events. */
export const appendNumbered = async (
  store: EventStore,
  from: number,
  count: number,
  perStream = 10,
  traceparent?: string,
) => {
  for (let start = from; start < from + count; start += perStream) {
    const events = [];
    for (let n = start; n < Math.min(start + perStream, from + count); n++)
      events.push({ type: 'Numbered', data: { n } });
    await store.append(`thing-${start}`, events, {
      expectedVersion: 'any',
      metadata: traceparent ? { traceparent } : {},
    });
  }
  // readAll hands events out once every older transaction in the cluster has ended; on a database
  // shared with other test runs that can take a moment, and the tests read right after appending.
  await waitUntilReadable(store, 30_000);
};

export const waitFor = async (condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
