// CRASHES AT RANDOM MOMENTS: two relay replicas and two consumers of one group run as separate
// processes (built packages, real PostgreSQL, real Kafka) while 10,000 events are appended; a seeded
// random schedule SIGKILLs one of them every few seconds and restarts it. Afterwards the consumers'
// read model (per stream: events applied and the sum of their numbers, with no dedupe of its own)
// equals exactly what the appended events imply: nothing lost, nothing counted twice.
// Replay a failing run with CHAOS_SEED=<seed printed below>.
import path from 'node:path';
import { type EventStore } from '@wor/event-store';
import { createPostgresEventStore, migratePostgresEventStore } from '@wor/event-store-postgres';
import { createKafkaTransport, migrateMessaging } from '@wor/messaging';
import { freshSchema, kafkaBrokers, uniqueName, type TestSchema } from '@wor/test-support';
import { Pool } from 'pg';
import { killHard, seededRandom, sleep, spawnNode, type Child } from './testing/processes';

jest.setTimeout(150_000);

const WORKER = path.join(__dirname, 'testing', 'chaos-worker.js');
const STREAMS = 500;
const PER_STREAM = 20; // 10,000 events
const PER_APPEND = 10;

describe('relays and consumers SIGKILLed at random while 10,000 events flow', () => {
  let schema: TestSchema;
  let pool: Pool;
  let store: EventStore;
  const children = new Map<string, Child>();

  beforeAll(async () => {
    schema = await freshSchema('chaos');
    pool = new Pool({ connectionString: schema.databaseUrl, max: 4 });
    await migratePostgresEventStore(pool, schema.schema);
    await migrateMessaging(pool, schema.schema);
    await pool.query(
      `CREATE TABLE "${schema.schema}".totals (stream text PRIMARY KEY, events int NOT NULL, sum bigint NOT NULL)`,
    );
    store = createPostgresEventStore({ pool, schema: schema.schema });
  });
  afterAll(async () => {
    await Promise.all([...children.values()].map(killHard));
    await store?.close();
    await pool?.end();
    await schema?.drop();
  });

  it('ends with a read model exactly equal to what the events imply', async () => {
    const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`chaos seed ${seed} (replay: CHAOS_SEED=${seed})`);
    const random = seededRandom(seed);
    const brokers = (await kafkaBrokers()).join(',');
    const topic = uniqueName('chaos');
    const admin = createKafkaTransport({
      brokers: brokers.split(','),
      clientId: uniqueName('chaos-admin'),
      numPartitions: 6,
    });
    await admin.ensureTopics([topic]);
    await admin.close();

    const group = uniqueName('chaos_group');
    const roles = {
      'relay-a': 'relay',
      'relay-b': 'relay',
      'consumer-a': 'consumer',
      'consumer-b': 'consumer',
    } as const;
    const start = (name: keyof typeof roles) => {
      const role = roles[name];
      children.set(
        name,
        spawnNode(name, WORKER, {
          ROLE: role,
          DATABASE_URL: schema.databaseUrl,
          SCHEMA: schema.schema,
          KAFKA_BROKERS: brokers,
          TOPIC: topic,
          NAME: role === 'relay' ? 'chaos-relay' : group,
        }),
      );
    };
    const names = Object.keys(roles) as (keyof typeof roles)[];
    for (const name of names) start(name);
    await Promise.all(names.map((name) => children.get(name)!.line(/^ready$/)));

    const readModel = async () => {
      const { rows } = await pool.query<{ stream: string; events: number; sum: string }>(
        `SELECT stream, events, sum FROM "${schema.schema}".totals`,
      );
      return new Map(rows.map((r) => [r.stream, { events: r.events, sum: Number(r.sum) }]));
    };
    const applied = async () => [...(await readModel()).values()].reduce((n, t) => n + t.events, 0);

    // The producer: 1,000 appends of 10 events, two at a time, paced over at least 15 s so the kills
    // land while events flow, however fast the machine.
    const t0 = Date.now();
    let producing = true;
    const produce = (async () => {
      let appends = 0;
      for (let round = 0; round < PER_STREAM / PER_APPEND; round++) {
        for (let s = 0; s < STREAMS; s += 2) {
          await Promise.all(
            [s, s + 1].map((k) =>
              store.append(
                `chaos-${k}`,
                Array.from({ length: PER_APPEND }, (_, i) => ({
                  type: 'Counted',
                  data: { n: k * 1_000 + round * PER_APPEND + i },
                })),
                { expectedVersion: 'any' },
              ),
            ),
          );
          appends += 2;
          const due = t0 + appends * 15;
          if (due > Date.now()) await sleep(due - Date.now());
        }
      }
      producing = false;
    })();

    // The killer: while events are appended, a random process every 1–2.5 s.
    const kills: string[] = [];
    const killer = (async () => {
      while (producing) {
        await sleep(1_000 + random() * 1_500);
        const name = names[Math.floor(random() * names.length)]!;
        await killHard(children.get(name)!);
        kills.push(`${name}@${((Date.now() - t0) / 1000).toFixed(1)}s`);
        await sleep(random() * 1_000);
        start(name);
      }
    })();
    await Promise.all([produce, killer]);
    console.log(`appended ${STREAMS * PER_STREAM} events; SIGKILLs: ${kills.join(', ')}`);
    expect(kills.length).toBeGreaterThanOrEqual(4);

    // Every process is running again; wait for the consumers to finish the backlog.
    const expected = new Map<string, { events: number; sum: number }>();
    for (let s = 0; s < STREAMS; s++) {
      let sum = 0;
      for (let i = 0; i < PER_STREAM; i++) sum += s * 1_000 + i;
      expected.set(`chaos-${s}`, { events: PER_STREAM, sum });
    }
    const deadline = Date.now() + 90_000;
    while ((await applied()) < STREAMS * PER_STREAM && Date.now() < deadline) await sleep(250);
    await sleep(1_000); // a late duplicate would show up now

    expect(await readModel()).toEqual(expected);
    const processed = await pool.query(
      `SELECT count(*)::int AS n FROM "${schema.schema}".processed_events WHERE consumer = $1`,
      [group],
    );
    expect(processed.rows[0].n).toBe(STREAMS * PER_STREAM);
    const deadLetters = await pool.query(`SELECT count(*)::int AS n FROM "${schema.schema}".dead_letters`);
    expect(deadLetters.rows[0].n).toBe(0);
    console.log(`read model complete ${((Date.now() - t0) / 1000).toFixed(1)} s after the first append`);
  });
});
