// A poison event and a schema-incompatible event on one partition: both go to the dead-letter topic and
// table with their reason while the events behind them keep flowing. After the fix is deployed the
// documented command (`npm run redrive`, the built CLI) publishes them again for that group only;
// each is then applied exactly once, another group on the same topic is not disturbed, and a second
// run publishes nothing it already re-drove.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { kafkaBrokers, uniqueName } from '@wor/test-support';
import { Registry } from 'prom-client';
import { createConsumer, type ParseResult } from './consumer';
import { REDRIVE_FOR_HEADER } from './redrive';
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

const CLI = path.join(__dirname, '..', 'dist', 'redrive-cli.js');
const run = promisify(execFile);

const event = (n: number, schemaVersion = 1): TestEvent => testEvent(n, `redrive-${n}`, { schemaVersion });

/** Before the fix: only v1 is understood. After: v2 is upcast (its data is the same here). */
const parseFor =
  (fixed: boolean) =>
  (json: unknown): ParseResult<TestEvent> => {
    const version = (json as { schemaVersion?: unknown }).schemaVersion;
    if (version !== 1 && !(fixed && version === 2))
      return { ok: false, reason: `unknown event type or version: TestHappened.v${String(version)}` };
    return parseTestEvent({ ...(json as object), schemaVersion: 1 });
  };

describe('dead letters re-driven after a fix (real Kafka, real PostgreSQL, the CLI)', () => {
  let db: TestDb;
  let transport: Transport;
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} missing: build first (npx turbo run build --filter=@wor/messaging)`);
    db = await setUpDb();
    await db.pool.query(`CREATE TABLE "${db.schema}".other_counts (event_id text PRIMARY KEY, n int NOT NULL)`);
    transport = await kafkaTestTransport();
  });
  afterAll(async () => {
    await transport?.close();
    await db?.close();
  });

  it('dead-letters with the reason, keeps the partition flowing, and re-drives once for that group only', async () => {
    const topic = uniqueName('redrive');
    const group = uniqueName('redrive_group');
    const otherGroup = uniqueName('redrive_other');
    const registry = new Registry();
    const consumerOf = (fixed: boolean) =>
      createConsumer<TestEvent>({
        name: group,
        topics: [topic],
        transport,
        pool: db.pool,
        schema: db.schema,
        parse: parseFor(fixed),
        handle: async (e, tx) => {
          if (e.data.n === 4 && !fixed) throw new Error('cannot apply n=4 (bug)');
          await countingHandle(e, tx, db.schema);
        },
        retryBaseMs: 10,
        logger: testLogger(),
        registry,
      });
    // Another group on the same topic that understands everything; it must not see the re-drive.
    const other = createConsumer<TestEvent>({
      name: otherGroup,
      topics: [topic],
      transport,
      pool: db.pool,
      schema: db.schema,
      parse: parseFor(true),
      handle: async (e, tx) => {
        await tx.query(
          `INSERT INTO "${db.schema}".other_counts (event_id, n) VALUES ($1, 1) ON CONFLICT (event_id) DO UPDATE SET n = other_counts.n + 1`,
          [e.eventId],
        );
      },
      logger: testLogger(),
      registry,
    });
    let consumer = consumerOf(false);
    await consumer.start();
    await other.start();

    // One key, so one partition: the events after the bad ones must not wait for them.
    await transport.publish(
      topic,
      [1, 2, 3, 4, 5, 6].map((n) => ({
        key: 'one-referral',
        value: JSON.stringify(n === 2 ? event(n, 2) : event(n)),
        headers: { type: 'TestHappened' },
      })),
    );
    await waitFor(async () => (await db.counts()).size === 4, 30_000, 'events 1, 3, 5 and 6 applied');
    await waitFor(async () => (await db.deadLetters()).length === 2, 30_000, 'two dead letters');
    const letters = await db.deadLetters();
    expect(letters.map((l) => [l.reason, l.error])).toEqual([
      ['invalid', 'unknown event type or version: TestHappened.v2'],
      ['processing-failed', 'Error: cannot apply n=4 (bug)'],
    ]);
    expect([...(await db.counts()).keys()].sort()).toEqual([1, 3, 5, 6].map((n) => event(n).eventId).sort());
    const dlq = await collect(transport, [`${group}.dlq`], (m) => m.length >= 2);
    expect(dlq.map((m) => [m.headers['dlq-reason'], m.headers['dlq-original-topic']])).toEqual([
      ['invalid', topic],
      ['processing-failed', topic],
    ]);
    expect(dlq[0]?.headers['dlq-error']).toBe('unknown event type or version: TestHappened.v2');

    // The fix is deployed: the same group restarts with the new code. Nothing replays by itself.
    await consumer.stop();
    consumer = consumerOf(true);
    await consumer.start();

    const env = {
      ...process.env,
      DATABASE_URL: db.databaseUrl,
      KAFKA_BROKERS: (await kafkaBrokers()).join(','),
      DB_SCHEMA: '',
    };
    let progress = '';
    const cli = async (...args: string[]) => {
      const { stdout, stderr } = await run(process.execPath, [CLI, '--schema', db.schema, '--group', group, ...args], {
        env,
      });
      progress = stderr;
      return stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    };
    const dry = await cli('--dry-run');
    expect(dry.at(-1)).toMatchObject({ dryRun: true, redriven: 0, pending: 2 });
    const first = await cli();
    expect(first.slice(0, -1).map((l) => l.reason)).toEqual(['invalid', 'processing-failed']);
    expect(first.at(-1)).toMatchObject({ redriven: 2 });
    expect(progress).toMatch(/^redrive: 2\/2 letters \(100\.0%\)/m); // plain lines: not a terminal
    expect(JSON.stringify(first)).not.toContain('redrive-'); // message values are never printed

    await waitFor(async () => (await db.counts()).size === 6, 30_000, 'events 2 and 4 applied after the re-drive');
    // Idempotent: a second run finds nothing left to re-drive.
    expect((await cli()).at(-1)).toMatchObject({ redriven: 0 });
    const marked = await db.pool.query(
      `SELECT count(*)::int AS n FROM "${db.schema}".dead_letters WHERE redriven_at IS NOT NULL`,
    );
    expect(marked.rows[0].n).toBe(2);

    // The other group: every event once, the re-driven copies skipped (counted as such).
    const value = async (consumerName: string, outcome: string) =>
      (await registry.getSingleMetric('wor_messaging_consumer_messages_total')?.get())?.values.find(
        (v) => v.labels.consumer === consumerName && v.labels.outcome === outcome,
      )?.value ?? 0;
    await waitFor(
      async () => (await value(otherGroup, 'skipped')) === 2,
      30_000,
      'the other group to skip both re-driven messages',
    );
    const otherCounts = await db.pool.query<{ n: number }>(`SELECT n FROM "${db.schema}".other_counts`);
    expect(otherCounts.rows.map((r) => r.n)).toEqual([1, 1, 1, 1, 1, 1]);

    const counts = await db.counts();
    expect([...counts.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await db.deadLetters()).length).toBe(2); // nothing failed again
    const redriven = await collect(transport, [topic], (m) => m.length >= 8);
    expect(redriven.filter((m) => m.headers[REDRIVE_FOR_HEADER] === group)).toHaveLength(2);
    await consumer.stop();
    await other.stop();
  });
});
