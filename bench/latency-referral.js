#!/usr/bin/env node
// End-to-end latency of a GP referral: from sending POST /referrals until the referral appears in the
// welfare organisation's work queue (GET /work-queues/organisation, referral service) and until
// reporting counts it (GET /referral-counts, reporting service, fed through Kafka by the referral
// relay). Consent, referral and reporting services run in this process over real Kafka and PostgreSQL
// (fresh schemas and topic prefix, dropped at the end). Referrals are submitted one at a time, so each
// count increment belongs to one referral. Prints p50/p99/max; asserts nothing.
//   npm run bench:latency                     (60 s)
//   BENCH_DURATION=10 npm run bench:latency   (a short run)
// Env: DATABASE_URL, KAFKA_BROKERS, BENCH_DURATION seconds (60), BENCH_MAX_REFERRALS (2000).
'use strict';
// The benchmark polls faster than the per-caller rate limit allows; it measures latency, not the limit.
process.env.RATE_LIMIT_PER_MINUTE ??= '0';
const { randomBytes, randomUUID } = require('node:crypto');
const { Client } = require('pg');
const { createKafkaTransport } = require('../packages/messaging/dist');
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
const { createReportingService } = require('../services/reporting/dist');

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BROKERS = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const DURATION = Number(process.env.BENCH_DURATION || 60);
const MAX = Number(process.env.BENCH_MAX_REFERRALS || 2000);
const POLL_MS = 5;
const ORG = { practice: 'huisarts-bench', welfare: 'welzijn-bench' };

const suffix = randomBytes(4).toString('hex');
const prefix = `bench_${suffix}.`;
const issuer = createDevIssuer();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const schemas = [];

const start = async (name, factory, transport) => {
  const schema = `bench_${name}_${suffix}`;
  schemas.push(schema);
  const logger = createLogger(name, { level: 'warn' });
  const pool = createServicePool(DATABASE_URL, schema, logger);
  await ensureSchema(pool, schema);
  const service = await factory({
    pool,
    schema,
    transport,
    logger,
    metrics: createMetrics(),
    authenticate: issuer.authenticate,
    topicPrefix: prefix,
    pseudonymSecret: 'bench-pseudonym-secret-0123456789abcdef',
    masterKey: randomBytes(32),
    now: () => new Date(),
  });
  await service.start();
  const running = await runService({ app: service.app, port: 0, logger });
  return {
    url: running.url,
    stop: async () => {
      await running.close();
      await service.stop();
      await pool.end();
    },
  };
};

const request = async (caller, method, url, body) => {
  const r = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${await issuer.sign(caller, '30m')}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: r.status, body: await r.json().catch(() => undefined) };
};

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted.length === 0
    ? 'no samples'
    : `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms (n=${sorted.length})`;
};

const main = async () => {
  const transport = createKafkaTransport({ brokers: BROKERS, clientId: `bench-${suffix}` });
  const started = [];
  try {
    const reporting = await start('reporting', createReportingService, transport);
    started.push(reporting);
    const referral = await start('referral', createReferralService, transport);
    started.push(referral);
    const consent = await start('consent', createConsentService, transport);
    started.push(consent);
    const officer = { sub: 'bench-po', roles: ['privacy-officer'] };
    const gp = { sub: 'bench-gp', roles: ['gp-system'], org: ORG.practice };
    const coordinator = { sub: 'bench-coordinator', roles: ['coordinator'], org: ORG.welfare };
    // The exact (unsuppressed) monthly counts are the coordinator's, of their own municipality.
    const reportingCoordinator = { sub: 'bench-coordinator', roles: ['coordinator'], municipality: 'GM0001' };
    const agreementId = randomUUID();
    await request(officer, 'POST', `${consent.url}/agreements`, {
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
    await request(officer, 'POST', `${consent.url}/agreements/${agreementId}/activate`);
    const bsn = '999990044';
    const consentGiven = await request(gp, 'POST', `${consent.url}/consents`, {
      patient: { bsn },
      recipientOrganisationId: ORG.welfare,
      purposes: ['wor-referral'],
      dataCategories: ['contact-details', 'referral-reason'],
      evidence: { method: 'signed', documentReference: 'bench' },
    });
    if (consentGiven.status !== 201)
      throw new Error(`consent: HTTP ${consentGiven.status} ${JSON.stringify(consentGiven.body)}`);
    const body = {
      consentId: consentGiven.body.consentId,
      patient: {
        bsn,
        name: { given: 'Bench', family: 'Latentie' },
        birthDate: '1950-01-01',
        sex: 'male',
        phone: '0610000001',
      },
      municipality: 'GM0001',
      practiceId: ORG.practice,
      recipientOrganisationId: ORG.welfare,
      referrerRole: 'huisarts',
      reasons: ['eenzaamheid'],
    };

    const counted = async () => {
      const r = await request(reportingCoordinator, 'GET', `${reporting.url}/referral-counts?municipality=GM0001`);
      if (r.status !== 200) throw new Error(`GET /referral-counts: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.months.reduce((n, m) => n + m.referrals, 0);
    };
    const inQueue = async (id) => {
      const r = await request(coordinator, 'GET', `${referral.url}/work-queues/organisation?sort=waiting&size=20`);
      return r.status === 200 && r.body.items.some((i) => i.referralId === id);
    };
    // Warm-up: the first accepted submission (the referral service learns the consent over Kafka).
    let warm;
    for (let i = 0; ; i++) {
      warm = await request(gp, 'POST', `${referral.url}/referrals`, body);
      if (warm.status === 201) break;
      if (i > 600) throw new Error(`referral not accepted: HTTP ${warm.status} ${JSON.stringify(warm.body)}`);
      await sleep(100);
    }
    let expected = 1;
    while ((await counted()) !== expected) await sleep(POLL_MS);

    const toQueue = [];
    const toReporting = [];
    const answered = []; // the POST's own response time: the part of both paths before any relay or projection
    const until = Date.now() + DURATION * 1000;
    while (Date.now() < until && toQueue.length < MAX) {
      const t0 = performance.now();
      const submitted = await request(gp, 'POST', `${referral.url}/referrals`, body);
      if (submitted.status !== 201) throw new Error(`submission: HTTP ${submitted.status}`);
      answered.push(performance.now() - t0);
      expected++;
      const id = submitted.body.referralId;
      await Promise.all([
        (async () => {
          while (!(await inQueue(id))) await sleep(POLL_MS);
          toQueue.push(performance.now() - t0);
        })(),
        (async () => {
          while ((await counted()) < expected) await sleep(POLL_MS);
          toReporting.push(performance.now() - t0);
        })(),
      ]);
    }
    console.log(
      `latency: ${toQueue.length} referrals one at a time in ${DURATION} s, polling every ${POLL_MS} ms, Kafka ${BROKERS.join(',')}`,
    );
    console.log(`submitted -> answered (POST /referrals, 201): ${stats(answered)}`);
    console.log(`submitted -> in the work queue (referral service projection): ${stats(toQueue)}`);
    console.log(`submitted -> counted by reporting (relay, Kafka, consumer): ${stats(toReporting)}`);
  } finally {
    for (const s of started.reverse()) await s.stop();
    await transport.close();
    const db = new Client({ connectionString: DATABASE_URL });
    await db.connect();
    for (const schema of schemas) await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
