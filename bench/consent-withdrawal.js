#!/usr/bin/env node
// How long a consent withdrawal takes to take effect in the referral service, through Kafka: from the
// moment the withdrawal request is sent to the consent service until the referral service's own access
// decision (checkAccess on its local view) refuses. Prints p50/p99/max; target p99 < 2 s (not asserted).
// Needs a build and a Kafka broker (see bench/README.md).
'use strict';
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
const { checkAccess } = require('../services/referral/dist/consent-view');
const { pseudonymise } = require('../packages/privacy/dist');

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BROKERS = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const N = Number(process.env.BENCH_WITHDRAWALS || 100);
const POLL_MS = 2;

const suffix = randomBytes(4).toString('hex');
const prefix = `bench_${suffix}.`;
const secret = 'bench-pseudonym-secret';
const masterKey = randomBytes(32);
const issuer = createDevIssuer();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const start = async (name, factory, transport) => {
  const schema = `bench_${name}_${suffix}`;
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
    pseudonymSecret: secret,
    masterKey,
    now: () => new Date(),
  });
  await service.start();
  const running = await runService({ app: service.app, port: 0, logger });
  return {
    schema,
    pool,
    url: running.url,
    stop: async () => {
      await running.close();
      await service.stop();
      await pool.end();
    },
  };
};

const call = async (caller, url, body) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${await issuer.sign(caller)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
};

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const main = async () => {
  const transport = createKafkaTransport({ brokers: BROKERS, clientId: `bench-${suffix}` });
  const consent = await start('consent', createConsentService, transport);
  const referral = await start('referral', createReferralService, transport);
  const gp = { sub: 'bench-gp', roles: ['gp-system'], org: 'huisarts-beterschap' };
  const officer = { sub: 'bench-po', roles: ['privacy-officer'] };
  try {
    const agreementId = randomUUID();
    await call(officer, `${consent.url}/agreements`, {
      agreementId,
      kind: 'samenwerkingsovereenkomst',
      title: 'bench',
      parties: [
        { organisationId: 'huisarts-beterschap', role: 'joint-controller' },
        { organisationId: 'welzijn-beterstad', role: 'joint-controller' },
      ],
      legalBasis: { article6: 'a-consent', article9Exception: 'a-explicit-consent' },
      purposes: ['wor-referral'],
      dataCategories: ['contact-details'],
      recipientOrganisationIds: ['welzijn-beterstad'],
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: null,
      retentionMonths: 12,
      processingRegisterReference: 'bench',
    });
    await call(officer, `${consent.url}/agreements/${agreementId}/activate`);

    const samples = [];
    // Consecutive numbers that pass the elfproef (the consent API refuses any other BSN).
    let next = 100000000;
    const elfproef = (s) => [...s].slice(0, 8).reduce((a, d, k) => a + (9 - k) * Number(d), 0) % 11 === Number(s[8]);
    for (let i = 0; i < N; i++) {
      while (!elfproef(String(next))) next++;
      const bsn = String(next++);
      const given = await call(gp, `${consent.url}/consents`, {
        patient: { bsn },
        recipientOrganisationIds: ['welzijn-beterstad'],
        purposes: ['wor-referral'],
        dataCategories: ['contact-details'],
        evidence: { method: 'verbal' },
      });
      const question = () => ({
        subjectId: pseudonymise(bsn, secret),
        consentId: given.consentId,
        organisationId: 'welzijn-beterstad',
        partnerOrganisationId: 'huisarts-beterschap',
        purpose: 'wor-referral',
        dataCategory: 'contact-details',
        at: new Date(),
      });
      // Wait until the referral service permits (consent and agreement known there), then withdraw.
      for (let tries = 0; !(await checkAccess(referral.pool, question())).permitted; tries++) {
        if (tries > 30_000 / POLL_MS) throw new Error('the consent never reached the referral service');
        await sleep(POLL_MS);
      }
      const t0 = process.hrtime.bigint();
      await call(gp, `${consent.url}/consents/${given.consentId}/withdraw`);
      while ((await checkAccess(referral.pool, question())).permitted) await sleep(POLL_MS);
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const fmt = (ms) => `${ms.toFixed(0)} ms`;
    console.log(`withdrawal → referral service refuses, through Kafka (${N} withdrawals, one at a time):`);
    console.log(
      `  p50 ${fmt(percentile(sorted, 50))}  p99 ${fmt(percentile(sorted, 99))}  max ${fmt(sorted[sorted.length - 1])}  (target p99 < 2000 ms: ${percentile(sorted, 99) < 2000 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await referral.stop();
    await consent.stop();
    await transport.close();
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    for (const s of [consent.schema, referral.schema]) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await client.end();
  }
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
