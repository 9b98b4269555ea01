#!/usr/bin/env node
// Memory of the embedded platform (the four services and the web application in one process,
// in-process transport, as `npm start` runs them): RSS after the demo data, then during and after
// BENCH_DURATION seconds of GP referral submissions (10 connections, autocannon in a child process
// so its memory is not counted). Prints RSS and heap at each point and the peak; asserts nothing.
//   node bench/memory-embedded.js             (60 s of load; needs a build and DATABASE_URL)
// Env: DATABASE_URL, BENCH_DURATION seconds (60), BENCH_CONNECTIONS (10), BENCH_SAMPLE seconds between
// samples (DURATION / 6; each after a GC when run with --expose-gc). Uses a fresh database.
'use strict';
const { fork } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION = Number(process.env.BENCH_DURATION || 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const MB = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const drive = async () => {
  const { url, token, body } = JSON.parse(process.env.BENCH_TARGET);
  require('autocannon')(
    {
      url: `${url}/referrals`,
      method: 'POST',
      connections: CONNECTIONS,
      duration: DURATION,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    },
    (error, result) => {
      if (error) throw error;
      process.send({ requests: result.requests.total, ok: result['2xx'], perSecond: result.requests.average });
    },
  );
};

const main = async () => {
  const { Client } = require('pg');
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  const database = `bench_mem_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${database}`;
  const keyrings = mkdtempSync(join(tmpdir(), 'wor-bench-keyring-'));
  process.env.RATE_LIMIT_PER_MINUTE = '0';
  const { startInProcess, loadDemoData, DEMO } = require('../packages/launcher/dist');
  const { startWebApp } = require('../packages/launcher/dist/web');
  const { createDevIssuer } = require('../packages/service-kit/dist');
  const mem = (label) => {
    const m = process.memoryUsage();
    console.log(`${label.padEnd(34)} RSS ${MB(m.rss).padStart(7)}  heap used ${MB(m.heapUsed).padStart(7)}`);
  };
  let platform;
  let web;
  try {
    mem('before start');
    platform = await startInProcess({
      databaseUrl: url.toString(),
      secrets: {
        WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
        WOR_MASTER_KEY: randomBytes(32).toString('base64'),
        WOR_KEYRING_DIR: keyrings,
      },
      ports: { referral: 0, consent: 0, 'social-map': 0, reporting: 0 },
    });
    await loadDemoData(platform.urls, () => undefined);
    // The web application too, as `npm start` runs it in the same process; its pages once.
    web = await startWebApp(platform.urls, 0);
    for (const page of ['/', '/api-docs/referral/docs'])
      if (!(await fetch(web.url + page)).ok) throw new Error(`web app: GET ${page} failed`);
    global.gc?.();
    mem('after the demo data');

    const issuer = createDevIssuer();
    const gp = { sub: DEMO.gpSystem, roles: ['gp-system'], org: DEMO.practice.id };
    const token = await issuer.sign(gp, '30m');
    const post = async (path, body) => {
      const r = await fetch(platform.urls.consent + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: await r.json() };
    };
    const consent = await post('/consents', {
      patient: { bsn: '999990044' },
      recipientOrganisationId: DEMO.welfareOrganisation.id,
      purposes: ['wor-referral'],
      dataCategories: ['contact-details', 'referral-reason'],
      evidence: { method: 'signed', documentReference: 'bench' },
    });
    if (consent.status !== 201) throw new Error(`consent: HTTP ${consent.status} ${JSON.stringify(consent.body)}`);
    const body = {
      consentId: consent.body.consentId,
      patient: {
        bsn: '999990044',
        name: { given: 'Bench', family: 'Geheugen' },
        birthDate: '1950-01-01',
        sex: 'female',
      },
      municipality: DEMO.municipality.code,
      practiceId: DEMO.practice.id,
      recipientOrganisationId: DEMO.welfareOrganisation.id,
      referrerRole: 'huisarts',
      reasons: ['eenzaamheid'],
    };
    for (let i = 0; ; i++) {
      const r = await fetch(`${platform.urls.referral}/referrals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (r.status === 201) break;
      if (i > 300) throw new Error(`referral not accepted: HTTP ${r.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const driver = fork(__filename, ['--drive'], {
      env: { ...process.env, BENCH_TARGET: JSON.stringify({ url: platform.urls.referral, token, body }) },
    });
    // Growth shows in the heap left after a collection, sampled at a fixed pace; RSS follows it with lag.
    const samples = [];
    const started = Date.now();
    const sampler = setInterval(
      () => {
        global.gc?.();
        const m = process.memoryUsage();
        samples.push({ s: Math.round((Date.now() - started) / 1000), rss: m.rss, heap: m.heapUsed });
        mem(`during the load, ${samples.at(-1).s} s, after a GC`);
      },
      Number(process.env.BENCH_SAMPLE || Math.max(5, DURATION / 6)) * 1000,
    );
    const result = await new Promise((resolve, reject) => {
      driver.once('message', resolve);
      driver.once('exit', (code) => reject(new Error(`load driver exited with ${code}`)));
    });
    clearInterval(sampler);
    console.log(
      `load: ${result.requests} submissions in ${DURATION} s (${result.perSecond.toFixed(0)}/s), ${result.ok} 2xx`,
    );
    mem('after the load');
    global.gc?.();
    mem('after the load, after a GC');
    const first = samples.find((x) => x.s >= 60) ?? samples[0];
    const last = samples.at(-1);
    if (first && last && last !== first)
      console.log(
        `growth under load from ${first.s} s to ${last.s} s: RSS ${MB(first.rss)} -> ${MB(last.rss)}, heap after GC ${MB(first.heap)} -> ${MB(last.heap)}`,
      );
    console.log(`peak RSS ${MB(process.resourceUsage().maxRSS * 1024)}`);
  } finally {
    await web?.stop();
    await platform?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    rmSync(keyrings, { recursive: true, force: true });
  }
};

(process.argv[2] === '--drive' ? drive : main)().catch((error) => {
  console.error(error);
  process.exit(1);
});
