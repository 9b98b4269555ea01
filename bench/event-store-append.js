#!/usr/bin/env node
// Append throughput of @wor/event-store's PostgreSQL adapter against plain INSERTs of the same rows
// into a plain table in the same database. See bench/README.md. Needs a build: npm run bench:event-store.
'use strict';
const { randomBytes, randomUUID } = require('node:crypto');
const { Pool } = require('pg');
const { createPostgresEventStore, migratePostgresEventStore } = require('../packages/event-store-postgres/dist');

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SINGLE = Number(process.env.BENCH_SINGLE || 8000); // single-event appends per phase and side
const BATCHES = Number(process.env.BENCH_BATCHES || 200); // batches of BATCH_SIZE events per side
const BATCH_SIZE = 100;
const CONCURRENCY = 8;
const ROUNDS = 4; // store and plain alternate in rounds, so background load hits both alike
const EVENTS_PER_STREAM = 10;

const suffix = randomBytes(4).toString('hex');
const storeSchema = `bench_es_${suffix}`;
const plainSchema = `bench_plain_${suffix}`;

const event = (i) => ({ type: 'BenchEvent', data: { n: i, text: 'x'.repeat(100), flags: [true, false] } });
const metadata = { correlationId: randomUUID(), actor: 'bench' };
const plainRow = (streamId, version, i) => [
  streamId,
  version,
  randomUUID(),
  'BenchEvent',
  JSON.stringify(event(i).data),
  JSON.stringify(metadata),
];
const columns = 'stream_id, stream_version, event_id, type, data, metadata';

const seconds = async (fn) => {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
};

/** Indices [from, to) handled by `workers` sequential loops (index i goes to worker i % workers). */
const spread = (from, to, workers, work) =>
  Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = from + w; i < to; i += workers) await work(w, i);
    }),
  );

/** Runs `store(from, to)` and `plain(from, to)` over [0, total) in alternating rounds. */
const compare = async (phase, total, store, plain) => {
  const chunk = total / ROUNDS;
  let storeSeconds = 0;
  let plainSeconds = 0;
  const ratios = [];
  for (let r = 0; r < ROUNDS; r++) {
    const [from, to] = [r * chunk, (r + 1) * chunk];
    let s;
    let p;
    if (r % 2 === 0) {
      s = await seconds(() => store(from, to));
      p = await seconds(() => plain(from, to));
    } else {
      p = await seconds(() => plain(from, to));
      s = await seconds(() => store(from, to));
    }
    storeSeconds += s;
    plainSeconds += p;
    ratios.push(p / s);
  }
  return { phase, events: total, storeSeconds, plainSeconds, ratios };
};

const main = async () => {
  const pool = new Pool({ connectionString: DATABASE_URL, max: CONCURRENCY + 2 });
  const results = [];
  try {
    await migratePostgresEventStore(pool, storeSchema);
    // The same columns and unique constraints as the store's events table, without its transaction
    // id column and index, the streams table and the expected-version check.
    await pool.query(`
      CREATE SCHEMA "${plainSchema}";
      CREATE TABLE "${plainSchema}".events (
        global_position bigserial PRIMARY KEY,
        stream_id text NOT NULL, stream_version int NOT NULL, event_id uuid NOT NULL UNIQUE,
        type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (stream_id, stream_version))`);
    const store = createPostgresEventStore({ pool, schema: storeSchema });
    // Named (prepared) statements, as the store uses, so neither side pays for parsing and planning.
    const insertOne = `INSERT INTO "${plainSchema}".events (${columns}) VALUES ($1, $2, $3, $4, $5, $6)`;
    const insertBatch = `INSERT INTO "${plainSchema}".events (${columns}) VALUES ${Array.from(
      { length: BATCH_SIZE },
      (_, j) => `(${[1, 2, 3, 4, 5, 6].map((c) => `$${j * 6 + c}`).join(', ')})`,
    ).join(', ')}`;

    // Warm up connections and caches on both sides.
    for (let i = 0; i < 100; i++) {
      await store.append(`warm-${i}`, [event(i)], { expectedVersion: 'no_stream', metadata });
      await pool.query({ name: 'plain-one', text: insertOne, values: plainRow(`warm-${i}`, 0, i) });
    }

    // Single-event appends: every worker appends to its own streams, EVENTS_PER_STREAM events each,
    // with the exact expected version (the usual command-handler append).
    for (const workers of [1, CONCURRENCY]) {
      const phase = workers === 1 ? 'single, sequential' : `single, concurrency ${workers}`;
      const slot = (w, i) => {
        const k = Math.floor(i / workers);
        return [`${workers}-${w}-${Math.floor(k / EVENTS_PER_STREAM)}`, k % EVENTS_PER_STREAM];
      };
      results.push(
        await compare(
          phase,
          SINGLE,
          (from, to) =>
            spread(from, to, workers, (w, i) => {
              const [streamId, version] = slot(w, i);
              return store.append(streamId, [event(i)], { expectedVersion: version - 1, metadata });
            }),
          (from, to) =>
            spread(from, to, workers, (w, i) => {
              const [streamId, version] = slot(w, i);
              return pool.query({ name: 'plain-one', text: insertOne, values: plainRow(streamId, version, i) });
            }),
        ),
      );
    }

    // Batches: one append of BATCH_SIZE events to a new stream vs one multi-row INSERT of them.
    results.push(
      await compare(
        `batch of ${BATCH_SIZE}, sequential`,
        BATCHES * BATCH_SIZE,
        async (from, to) => {
          for (let i = from; i < to; i += BATCH_SIZE) {
            const events = Array.from({ length: BATCH_SIZE }, (_, j) => event(i + j));
            await store.append(`batch-${i}`, events, { expectedVersion: 'no_stream', metadata });
          }
        },
        async (from, to) => {
          for (let i = from; i < to; i += BATCH_SIZE) {
            const rows = Array.from({ length: BATCH_SIZE }, (_, j) => plainRow(`batch-${i}`, j, i + j));
            await pool.query({ name: 'plain-batch', text: insertBatch, values: rows.flat() });
          }
        },
      ),
    );

    const { server_version } = (await pool.query('SHOW server_version')).rows[0];
    console.log(`PostgreSQL ${server_version} at ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')}`);
    console.log('phase                           events   store ev/s   plain ev/s  store/plain  (per round)');
    for (const r of results) {
      const storeRate = r.events / r.storeSeconds;
      const plainRate = r.events / r.plainSeconds;
      console.log(
        [
          r.phase.padEnd(29),
          String(r.events).padStart(8),
          storeRate.toFixed(0).padStart(12),
          plainRate.toFixed(0).padStart(12),
          (storeRate / plainRate).toFixed(2).padStart(12),
          ` (${r.ratios.map((x) => x.toFixed(2)).join(' ')})`,
        ].join(' '),
      );
    }
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${storeSchema}" CASCADE; DROP SCHEMA IF EXISTS "${plainSchema}" CASCADE`);
    await pool.end();
  }
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
