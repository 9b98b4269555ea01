#!/usr/bin/env node
// Sustained GP referral submissions against the referral service, next to a bare express endpoint on
// the same machine in the same run, both driven by autocannon with the same connections and duration.
// Prints throughput, p50/p99 latency and errors of each and the ratios; asserts nothing.
// The services run embedded (one child process: consent + referral, in-process transport) on real
// PostgreSQL (DATABASE_URL); the bare endpoint runs in a second child; autocannon runs here.
//   npm run bench:load                        (60 s per side)
//   BENCH_DURATION=10 npm run bench:load      (a short run)
// Env: DATABASE_URL, BENCH_DURATION seconds (60), BENCH_CONNECTIONS (10), BENCH_IDEMPOTENCY=1 (a key per request),
// BENCH_ROUNDS (2), BENCH_CPU_PROF=dir (profile the referral side). The per-caller rate limit is off.
'use strict';
const { fork } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION = Number(process.env.BENCH_DURATION || 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const IDEMPOTENCY = process.env.BENCH_IDEMPOTENCY === '1';
// The anchor and the submission alternate in rounds (order flipped each round), so a burst of other
// work on a shared machine hits both sides; the ratio of each round shows how noisy it was.
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS || 2));
const ORG = { practice: 'huisarts-bench', welfare: 'welzijn-bench' };
const PATIENT = {
  bsn: '999990020',
  name: { given: 'Bench', family: 'Patiënt' },
  birthDate: '1950-01-01',
  sex: 'female',
  phone: '0610000000',
};

// ---- child: the bare express endpoint -------------------------------------------------------------
const serveBare = async () => {
  const express = require('express');
  const app = express();
  app.use(express.json());
  // Same shape of work an endpoint minimally does: parse JSON, answer JSON with 201.
  app.post(
    '/referrals',
    (req, res) => void res.status(201).json({ referralId: randomUUID(), received: Object.keys(req.body ?? {}).length }),
  );
  const server = app.listen(0, '127.0.0.1', () => process.send({ url: `http://127.0.0.1:${server.address().port}` }));
};

// ---- child: the durable-write anchor ----------------------------------------------------------------
// What a minimal durable endpoint does: the same JSON body, the same token check (same issuer and
// key), then one INSERT with its own commit into the same PostgreSQL, from a pool of the same size.
const serveDurable = async () => {
  const express = require('express');
  const { Pool } = require('pg');
  const { createDevIssuer } = require('../packages/service-kit/dist');
  const issuer = createDevIssuer({ secret: process.env.BENCH_ISSUER_SECRET });
  const schema = `bench_durable_${process.env.BENCH_SUFFIX}`;
  const pool = new Pool({ connectionString: DATABASE_URL, max: 20 });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(
    `CREATE TABLE "${schema}".referrals (id uuid PRIMARY KEY, caller text NOT NULL, body jsonb NOT NULL)`,
  );
  const app = express();
  app.use(express.json());
  app.post('/referrals', async (req, res) => {
    try {
      const caller = await issuer.authenticate(req);
      const id = randomUUID();
      await pool.query({
        name: 'insert-referral',
        text: `INSERT INTO "${schema}".referrals (id, caller, body) VALUES ($1, $2, $3)`,
        values: [id, caller.subject, req.body],
      });
      res.status(201).json({ referralId: id });
    } catch (error) {
      res.status(500).json({ error: String(error) });
    }
  });
  const server = app.listen(0, '127.0.0.1', () => process.send({ url: `http://127.0.0.1:${server.address().port}` }));
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    server.close();
    await pool.end();
    process.exit(0);
  });
};

// ---- child: consent + referral services, embedded ---------------------------------------------------
// SQL statements and transactions issued while serving one POST /referrals (its async context),
// counted by wrapping pg's Client.query; the relays and projections behind it are not counted.
const countSqlPerSubmission = () => {
  const { AsyncLocalStorage } = require('node:async_hooks');
  const http = require('node:http');
  const pg = require('pg');
  const context = new AsyncLocalStorage();
  const tallies = [];
  let counting = false;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, ...rest) {
    if (all.counting && event === 'request' && req.method === 'POST' && req.url === '/referrals') all.submissions++;
    if (!counting || event !== 'request' || req.method !== 'POST' || req.url !== '/referrals')
      return emit.call(this, event, req, ...rest);
    const tally = { statements: 0, transactions: 0 };
    tallies.push(tally);
    return context.run(tally, () => emit.call(this, event, req, ...rest));
  };
  // Every statement of the process under load too (relays, projections, consumers), by kind.
  const all = { counting: false, statements: 0, commits: 0, submissions: 0, kinds: new Map() };
  // Memoised: the same few statement texts repeat, and three regular expressions per statement cost
  // the referral side ~1.5% of its CPU under load (the anchor does not count its statements).
  const kinds = new Map();
  const kindOf = (text) => {
    let kind = kinds.get(text);
    if (kind === undefined) {
      kind = text
        .replace(/"[^"]*"\./g, '')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 60);
      if (kinds.size < 10_000) kinds.set(text, kind);
    }
    return kind;
  };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, ...rest) {
    const tally = context.getStore();
    const text = typeof config === 'string' ? config : config && config.text;
    if (all.counting && typeof text === 'string') {
      all.statements++;
      // A COMMIT, or a write outside a transaction (autocommit), flushes WAL; autocommit reads do not.
      if (/^\s*COMMIT/i.test(text) || (!this.benchInTransaction && !/^\s*(BEGIN|SELECT)/i.test(text))) all.commits++;
      const kind = kindOf(text);
      all.kinds.set(kind, (all.kinds.get(kind) ?? 0) + 1);
    }
    if (typeof text === 'string') {
      const begins = /^\s*BEGIN/i.test(text);
      if (tally) {
        tally.statements++;
        if (begins || !(this.benchInTransaction || /^\s*(COMMIT|ROLLBACK)/i.test(text))) tally.transactions++;
      }
      if (begins) this.benchInTransaction = true;
      else if (/^\s*(COMMIT|ROLLBACK)/i.test(text)) this.benchInTransaction = false;
    }
    return query.call(this, config, ...rest);
  };
  return {
    startAll: () => (all.counting = true),
    /** Statements and commits of the whole process per submission served, and the most frequent kinds. */
    stopAll: () => {
      all.counting = false;
      const per = (n) => n / Math.max(all.submissions, 1);
      const kinds = [...all.kinds.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14);
      return {
        submissions: all.submissions,
        statements: per(all.statements),
        commits: per(all.commits),
        kinds: kinds.map(([kind, n]) => `${per(n).toFixed(2)} × ${kind}`),
      };
    },
    start: () => ((counting = true), (tallies.length = 0)),
    stop: () => {
      counting = false;
      const sum = (k) => tallies.reduce((n, t) => n + t[k], 0) / Math.max(tallies.length, 1);
      return { submissions: tallies.length, statements: sum('statements'), transactions: sum('transactions') };
    },
  };
};

const serveReferral = async () => {
  const sql = countSqlPerSubmission();
  const { createInProcessTransport } = require('../packages/messaging/dist');
  const {
    createDevIssuer,
    createLogger,
    createMetrics,
    createServicePool,
    ensureSchema,
    runService,
  } = require('../packages/service-kit/dist');
  const { createConsentService } = require('../services/consent/dist');
  const { createReferralService } = require('../services/referral/dist');
  const suffix = process.env.BENCH_SUFFIX;
  const issuer = createDevIssuer({ secret: process.env.BENCH_ISSUER_SECRET });
  const transport = createInProcessTransport();
  const masterKey = randomBytes(32);
  const started = [];
  const start = async (name, factory) => {
    const schema = `bench_${name}_${suffix}`;
    const logger = createLogger(name, { level: 'warn' });
    const pool = createServicePool(DATABASE_URL, schema, logger, 20);
    await ensureSchema(pool, schema);
    const service = await factory({
      pool,
      schema,
      transport,
      logger,
      metrics: createMetrics(),
      authenticate: issuer.authenticate,
      topicPrefix: `bench_${suffix}.`,
      pseudonymSecret: 'bench-pseudonym-secret-0123456789abcdef',
      masterKey,
      now: () => new Date(),
    });
    await service.start();
    const running = await runService({ app: service.app, port: 0, logger });
    started.push({ service, running, pool });
    return running.url;
  };
  // Consumers before producers (in-process transport): the referral service learns consent by events.
  const referralUrl = await start('referral', createReferralService);
  const consentUrl = await start('consent', createConsentService);
  const post = async (caller, url, body) => {
    const r = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${await issuer.sign(caller, '30m')}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    return { status: r.status, body: await r.json().catch(() => undefined) };
  };
  const officer = { sub: 'bench-po', roles: ['privacy-officer'] };
  const gp = { sub: 'bench-gp', roles: ['gp-system'], org: ORG.practice };
  const agreementId = randomUUID();
  await post(officer, `${consentUrl}/agreements`, {
    agreementId,
    kind: 'samenwerkingsovereenkomst',
    title: 'bench',
    parties: [
      { organisationId: ORG.practice, role: 'joint-controller' },
      { organisationId: ORG.welfare, role: 'joint-controller' },
    ],
    legalBasis: { article6: 'a-consent', article9Exception: 'a-explicit-consent' },
    purposes: ['wor-referral'],
    dataCategories: ['contact-details', 'referral-reason'],
    recipientOrganisationIds: [ORG.welfare],
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: null,
    retentionMonths: 12,
    processingRegisterReference: 'bench',
  });
  await post(officer, `${consentUrl}/agreements/${agreementId}/activate`);
  const consent = await post(gp, `${consentUrl}/consents`, {
    patient: { bsn: PATIENT.bsn },
    recipientOrganisationId: ORG.welfare,
    purposes: ['wor-referral'],
    dataCategories: ['contact-details', 'referral-reason'],
    evidence: { method: 'signed', documentReference: 'bench' },
  });
  if (consent.status !== 201) throw new Error(`consent: HTTP ${consent.status} ${JSON.stringify(consent.body)}`);
  const body = {
    consentId: consent.body.consentId,
    patient: PATIENT,
    municipality: 'GM0001',
    practiceId: ORG.practice,
    recipientOrganisationId: ORG.welfare,
    referrerRole: 'huisarts',
    reasons: ['eenzaamheid'],
  };
  // Wait until the referral service knows the consent (the first accepted submission).
  for (let i = 0; ; i++) {
    const r = await post(gp, `${referralUrl}/referrals`, body);
    if (r.status === 201) break;
    if (i > 300) throw new Error(`referral not accepted: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Count the SQL of a few sequential submissions (warm), then hand over to autocannon.
  sql.start();
  for (let i = 0; i < 20; i++) {
    const r = await post(gp, `${referralUrl}/referrals`, body);
    if (r.status !== 201) throw new Error(`referral not accepted: HTTP ${r.status}`);
  }
  const perSubmission = sql.stop();
  sql.startAll();
  process.send({ url: referralUrl, token: await issuer.sign(gp, '30m'), body, perSubmission });
  process.on('message', async (m) => {
    if (m === 'rss') return process.send({ maxRssMB: process.resourceUsage().maxRSS / 1024, process: sql.stopAll() });
    if (m !== 'stop') return;
    // No new requests first; then in start order, so the referral side's relays finish their last
    // publish while consent's access-log consumer still takes it (the other way round, that publish
    // failed with "Group … stopped" and the relay logged an error). Consent's relay has nothing in
    // flight by then: consent events come from the setup only.
    for (const { running } of started) await running.close();
    for (const { service } of started) await service.stop();
    for (const { pool } of started) await pool.end();
    await transport.close();
    process.exit(0);
  });
};

// ---- parent: drive both with autocannon -------------------------------------------------------------
const child = (role, env = {}) => {
  // BENCH_CPU_PROF=dir profiles the referral side (node --cpu-prof): open the .cpuprofile in DevTools.
  const profile = role === '--serve-referral' && process.env.BENCH_CPU_PROF;
  const proc = fork(__filename, [role], {
    env: { ...process.env, ...env },
    execArgv: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise((resolve, reject) => {
    proc.once('message', resolve);
    proc.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
  return { proc, ready };
};

const drive = (url, token, body, duration = DURATION) =>
  new Promise((resolve, reject) => {
    const autocannon = require('autocannon');
    autocannon(
      {
        url: `${url}/referrals`,
        method: 'POST',
        connections: CONNECTIONS,
        duration,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
        // BENCH_IDEMPOTENCY=1: every request carries its own Idempotency-Key, as a GP system's would.
        ...(IDEMPOTENCY
          ? {
              requests: [
                { setupRequest: (r) => ({ ...r, headers: { ...r.headers, 'idempotency-key': randomUUID() } }) },
              ],
            }
          : {}),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });

const summary = (result) => ({
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  total: result.requests.total,
  ok: result['2xx'],
  errors: result.errors + result.timeouts + result.non2xx,
  statuses: Object.entries(result.statusCodeStats ?? {})
    .map(([code, { count }]) => `${code}: ${count}`)
    .join(', '),
});

const main = async () => {
  const suffix = randomBytes(4).toString('hex');
  const secret = randomBytes(32).toString('hex');
  const bare = child('--serve-bare');
  const durable = child('--serve-durable', { BENCH_SUFFIX: suffix, BENCH_ISSUER_SECRET: secret });
  // The per-caller rate limit (RATE_LIMIT_PER_MINUTE) would answer 429 to one GP system at full speed:
  // this measures the service, so it is off here.
  const service = child('--serve-referral', {
    BENCH_SUFFIX: suffix,
    BENCH_ISSUER_SECRET: secret,
    RATE_LIMIT_PER_MINUTE: '0',
  });
  try {
    const { url: bareUrl } = await bare.ready;
    const { url: durableUrl } = await durable.ready;
    const { url, token, body, perSubmission } = await service.ready;
    console.log(
      `load: ${DURATION} s per side (anchor and submission in ${ROUNDS} alternating rounds), ${CONNECTIONS} connections, POST /referrals (GP referral submission)${IDEMPOTENCY ? ', an Idempotency-Key per request' : ''}`,
    );
    const bareResult = summary(await drive(bareUrl, undefined, body));
    const rounds = { durable: [], referral: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const sides = [
        ['durable', durableUrl],
        ['referral', url],
      ];
      for (const [side, target] of round % 2 === 0 ? sides : sides.reverse())
        rounds[side].push(summary(await drive(target, token, body, DURATION / ROUNDS)));
    }
    const merged = (results) => ({
      requestsPerSecond: results.reduce((n, r) => n + r.total, 0) / DURATION,
      p50: [...results.map((r) => r.p50)].sort((a, b) => a - b)[Math.floor(results.length / 2)],
      p99: Math.max(...results.map((r) => r.p99)),
      total: results.reduce((n, r) => n + r.total, 0),
      ok: results.reduce((n, r) => n + r.ok, 0),
      errors: results.reduce((n, r) => n + r.errors, 0),
      statuses: results.map((r) => r.statuses).join('; '),
    });
    const durableResult = merged(rounds.durable);
    const referralResult = merged(rounds.referral);
    const perRound = rounds.referral.map((r, i) => (r.total / rounds.durable[i].total).toFixed(3));
    const row = (name, r) =>
      `${name.padEnd(22)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s  p50 ${String(r.p50).padStart(5)} ms  p99 ${String(r.p99).padStart(5)} ms  ${r.total} requests, ${r.ok} 2xx, ${r.errors} errors (${r.statuses})`;
    console.log(row('bare express', bareResult));
    console.log(row('durable insert', durableResult));
    console.log(row('referral submission', referralResult));
    console.log(
      `ratio referral/bare: throughput ${(referralResult.requestsPerSecond / bareResult.requestsPerSecond).toFixed(3)}, p50 latency ${(referralResult.p50 / Math.max(bareResult.p50, 1)).toFixed(1)}x, p99 latency ${(referralResult.p99 / Math.max(bareResult.p99, 1)).toFixed(1)}x`,
    );
    console.log(
      `ratio submission/durable-insert: throughput ${(referralResult.requestsPerSecond / durableResult.requestsPerSecond).toFixed(3)}, p99 latency ${(referralResult.p99 / Math.max(durableResult.p99, 1)).toFixed(1)}x`,
    );
    if (ROUNDS > 1) console.log(`submission/durable-insert per round (${ROUNDS} rounds): ${perRound.join(', ')}`);
    console.log(
      `SQL per submission (${perSubmission.submissions} sequential, warm): ${perSubmission.statements.toFixed(1)} statements in ${perSubmission.transactions.toFixed(1)} transactions`,
    );
    // Work behind the submissions still queued when the load ends: deferred work runs in the anchor's
    // rounds or after the bench, so a side whose consumers fall behind looks faster than it is.
    const { Client } = require('pg');
    const db = new Client({ connectionString: DATABASE_URL });
    await db.connect();
    const count = async (sql) => Number((await db.query(sql)).rows[0].n);
    const stored = await count(
      `SELECT count(*) AS n FROM "bench_referral_${suffix}".streams WHERE stream_id LIKE 'referral-%'`,
    );
    const chained = await count(`SELECT count(*) AS n FROM "bench_consent_${suffix}".access_log`);
    const requesters = await count(`SELECT count(*) AS n FROM "bench_referral_${suffix}".fhir_subscription_requester`);
    await db.end();
    console.log(
      `downstream when the load ended: ${stored} referrals stored; ${chained} access-log entries chained in consent (setup included); ${requesters} requesters recorded by the FHIR subscription consumer`,
    );
    service.proc.send('rss');
    const { maxRssMB, process: whole } = await new Promise((resolve) => service.proc.once('message', resolve));
    console.log(
      `SQL of the whole referral side under load, per submission (${whole.submissions}): ${whole.statements.toFixed(1)} statements, ${whole.commits.toFixed(1)} writing commits; most frequent:`,
    );
    for (const kind of whole.kinds) console.log(`  ${kind}`);
    console.log(`peak RSS of the referral side (consent + referral embedded): ${maxRssMB.toFixed(0)} MB`);
  } finally {
    bare.proc.kill('SIGTERM');
    for (const side of [durable, service]) {
      side.proc.send('stop');
      await new Promise((resolve) => side.proc.once('exit', resolve));
    }
    const { Client } = require('pg');
    const db = new Client({ connectionString: DATABASE_URL });
    await db.connect();
    for (const s of ['referral', 'consent', 'durable'])
      await db.query(`DROP SCHEMA IF EXISTS "bench_${s}_${suffix}" CASCADE`);
    await db.end();
  }
};

const role = process.argv[2];
const roles = { '--serve-bare': serveBare, '--serve-durable': serveDurable, '--serve-referral': serveReferral };
const run = roles[role] ?? main;
run().catch((error) => {
  console.error(error);
  process.exit(1);
});
