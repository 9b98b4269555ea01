// THE RELAY KILLED MID-BATCH: a relay process is SIGKILLed after publishing part of a batch and before
// saving its checkpoint, then restarted. Kafka then holds every event at least once (some twice), and
// a consumer's read model still counts every event exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { kafkaBrokers, uniqueName } from '@wor/test-support';
import { Registry } from 'prom-client';
import { createConsumer } from './consumer';
import {
  appendNumbered,
  countingHandle,
  parseTestEvent,
  setUpDb,
  testLogger,
  type TestDb,
  type TestEvent,
} from './testing/fixtures';
import { collect, kafkaTestTransport } from './testing/kafka';
import type { Transport } from './transport';

const EVENTS = 2_000;
const BATCH = 200;
const FIXTURE = path.join(__dirname, 'testing', 'relay-process.js');

const requireBuilt = () => {
  for (const pkg of ['messaging', 'event-store']) {
    const dist = path.join(__dirname, '..', '..', pkg, 'dist', 'index.js');
    if (!existsSync(dist)) throw new Error(`${dist} missing: build first (turbo build, or tsc -p tsconfig.build.json)`);
  }
};

type RelayRun = {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

const runRelayProcess = (
  env: Record<string, string>,
  onLine: (line: string, run: RelayRun) => void = () => {},
): RelayRun => {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const run: RelayRun = {
    child,
    lines,
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      onLine(line, run);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return run;
};

describe('relay killed mid-batch (real Kafka, real PostgreSQL, separate process)', () => {
  let db: TestDb;
  let transport: Transport;

  beforeAll(async () => {
    requireBuilt();
    db = await setUpDb();
    transport = await kafkaTestTransport();
  });
  afterAll(async () => {
    await transport?.close();
    await db?.close();
  });

  it('publishes every event at least once and the read model counts each exactly once', async () => {
    const topic = uniqueName('relaycrash');
    await transport.ensureTopics([topic]);
    await appendNumbered(db.store, 0, EVENTS, 20);
    const env = {
      DATABASE_URL: db.databaseUrl,
      SCHEMA: db.schema,
      KAFKA_BROKERS: (await kafkaBrokers()).join(','),
      TOPIC: topic,
      RELAY_NAME: 'crash-relay',
      BATCH_SIZE: String(BATCH),
    };

    // Run 1: slowed; killed while the third batch is half published.
    let halves = 0;
    const first = runRelayProcess({ ...env, SLOW_MS: '400' }, (line, run) => {
      if (line.startsWith('half') && ++halves === 3) run.child.kill('SIGKILL');
    });
    const firstExit = await first.exited;
    expect(firstExit.signal).toBe('SIGKILL');
    expect(first.lines).toEqual([
      `half ${BATCH / 2}`,
      `published ${BATCH}`,
      `half ${BATCH / 2}`,
      `published ${2 * BATCH}`,
      `half ${BATCH / 2}`,
    ]);
    const checkpointAfterKill = await db.pool.query(`SELECT checkpoint FROM "${db.schema}".relay_checkpoints`);
    expect(checkpointAfterKill.rows[0]?.checkpoint).not.toBe('');

    // Run 2: restarts from the saved checkpoint (start of batch 3) and finishes.
    const second = runRelayProcess({ ...env, SLOW_MS: '0' });
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.lines.at(-1)).toBe('done');
    expect(second.lines.at(-2)).toBe(`published ${EVENTS - 2 * BATCH}`);

    // The topic: every event at least once; the half batch published before the kill is there twice.
    const expectedTotal = EVENTS + BATCH / 2;
    const onTopic = await collect(transport, [topic], (m) => m.length >= expectedTotal, 60_000);
    const ids = onTopic.map((m) => (JSON.parse(m.value) as TestEvent).eventId);
    const unique = new Set(ids);
    expect(unique.size).toBe(EVENTS);
    expect(ids.length - unique.size).toBe(BATCH / 2);

    // A consumer's read model: every event exactly once.
    const registry = new Registry();
    const consumer = createConsumer<TestEvent>({
      name: uniqueName('crash-consumer'),
      topics: [topic],
      transport,
      pool: db.pool,
      schema: db.schema,
      parse: parseTestEvent,
      handle: (event, tx) => countingHandle(event, tx, db.schema),
      logger: testLogger(),
      registry,
    });
    await consumer.start();
    const outcomes = async () => {
      const metric = await registry.getSingleMetric('wor_messaging_consumer_messages_total')?.get();
      const value = (outcome: string) => metric?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
      return { processed: value('processed'), duplicate: value('duplicate'), deadLettered: value('dead-lettered') };
    };
    const deadline = Date.now() + 60_000;
    for (let o = await outcomes(); o.processed + o.duplicate < expectedTotal; o = await outcomes()) {
      if (Date.now() > deadline) throw new Error(`consumer too slow: ${JSON.stringify(o)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await consumer.stop();

    expect(await outcomes()).toEqual({ processed: EVENTS, duplicate: BATCH / 2, deadLettered: 0 });
    const counts = await db.counts();
    expect(counts.size).toBe(EVENTS);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(new Set(counts.keys())).toEqual(unique);
  });
});
