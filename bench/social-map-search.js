#!/usr/bin/env node
// Coaches' search on the social map at 1,000 and at 10,000 services: latency per kind of query through
// the HTTP API, and the 10k/1k ratio. The map is filled through the service's own HSDS import. Prints
// figures and ratios; asserts nothing. See bench/README.md.
// Needs a build: npx turbo run build --filter=@wor/social-map-service
'use strict';
const { randomBytes, randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { Pool } = require('pg');
const { createInProcessTransport } = require('../packages/messaging/dist');
const { createDevIssuer, createLogger, createMetrics } = require('../packages/service-kit/dist');
const { createSocialMapService } = require('../services/social-map/dist');

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SMALL = Number(process.env.BENCH_SMALL || 1_000);
const LARGE = Number(process.env.BENCH_SERVICES || 10_000);
// Optional third size, a national directory (e.g. 100000); off by default (the import takes minutes).
const NATIONAL = Number(process.env.BENCH_NATIONAL || 0);
const REPEAT = Number(process.env.BENCH_REPEAT || 60); // runs of each query per map size
const CHUNK = 1_000; // services per import request
const schema = `bench_smap_${randomBytes(4).toString('hex')}`;

// A deterministic pseudo-random generator, so every run searches the same map.
let seed = 42;
const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = (list) => list[Math.floor(rnd() * list.length)];
const some = (list, max) => [...new Set(Array.from({ length: 1 + Math.floor(rnd() * max) }, () => pick(list)))];

const ACTIVITIES = [
  'Wandelgroep',
  'Koffieochtend',
  'Buurtkoor',
  'Moestuin',
  'Taalcafé',
  'Rouwcafé',
  'Schuldhulpmaatje',
  'Beweegclub',
  'Kookclub',
  'Repair Café',
  'Schilderclub',
  'Fietsmaatjes',
  'Digicafé',
  'Mantelzorgcafé',
  'Yoga voor ouderen',
  'Breiclub',
  'Samen eten',
  'Vrijwilligerswerk',
  'Zingevingsgesprek',
  'Sportmaatje',
];
const PLACES = [
  'De Zon',
  'De Linde',
  'Het Anker',
  'De Brug',
  'Op de Hoek',
  'De Blijebuurt',
  'Het Park',
  'De Schakel',
  'Centrum',
  'Noord',
  'Zuid',
  'Oost',
  'West',
];
const PHRASES = [
  'samen wandelen in je eigen tempo',
  'ontmoeten en een praatje maken',
  'een kop koffie en gezelligheid',
  'hulp bij post, schulden en regelingen',
  'bewegen op muziek',
  'samen koken en eten',
  'zingen in een kleine groep',
  'tuinieren in de buurtmoestuin',
  'praten over verlies en rouw',
  'oefenen met Nederlands spreken',
  'leren omgaan met de computer',
  'even op adem komen als mantelzorger',
];
const WIJKEN = Array.from({ length: 20 }, (_, i) => `wijk ${i + 1}`);
const DIMENSIONS = [
  'lichaamsfuncties',
  'mentaal-welbevinden',
  'zingeving',
  'kwaliteit-van-leven',
  'meedoen',
  'dagelijks-functioneren',
];
const REASONS = [
  'eenzaamheid',
  'somberheid-angst',
  'stress-overbelasting',
  'zingeving',
  'rouw',
  'leefstijl-bewegen',
  'financiele-zorgen',
  'werk-dagbesteding',
  'mantelzorgbelasting',
];
const LANGUAGES = ['nl', 'en', 'tr', 'ar', 'pl'];

const organizations = Array.from({ length: 50 }, (_, i) => ({
  id: randomUUID(),
  name: `Organisatie ${i + 1}`,
  description: 'Welzijn en ontmoeting.',
}));

const service = () => {
  const activity = pick(ACTIVITIES);
  const age = rnd();
  return {
    id: randomUUID(),
    organization_id: pick(organizations).id,
    name: `${activity} ${pick(PLACES)}`,
    description: `${pick(PHRASES)}; ${pick(PHRASES)}.`,
    wijken: rnd() < 0.3 ? [] : some(WIJKEN, 2),
    dimensions: some(DIMENSIONS, 3),
    referral_reasons: some(REASONS, 3),
    languages: some(LANGUAGES, 2).map((code) => ({ code })),
    cost_options: [{ amount: rnd() < 0.7 ? 0 : 5 }],
    ...(age < 0.2 ? { minimum_age: 65 } : age < 0.3 ? { maximum_age: 25 } : {}),
    capacity_status: pick(['available', 'available', 'available', 'limited', 'full']),
  };
};

const QUERIES = {
  'baseline: GET /taxonomies (no SQL)': null,
  'free text': 'search=wandelen',
  'free text, compound part': 'search=koor',
  'text + wijk + dimension': 'search=koffie&wijk=wijk%203&dimension=meedoen',
  'filters only (reason, age, free)': 'reason=eenzaamheid&age=70&free=true',
  'reason + language': 'reason=financiele-zorgen&language=tr',
  'two words, page 3': 'search=samen%20eten&page=3',
};

// The database's CPU time for the searches (utime+stime of every client backend in /proc), which the
// machine's load stretches far less than wall-clock latency; null when PostgreSQL runs elsewhere.
const backendTicks = async (admin) => {
  const { rows } = await admin.query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'");
  const ticks = new Map();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      return null;
    }
  }
  return ticks;
};
const TICK_MS = 10; // USER_HZ 100

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const main = async () => {
  const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const pool = new Pool({ connectionString: DATABASE_URL, max: 10, options: `-c search_path=${schema}` });
  const issuer = createDevIssuer();
  const transport = createInProcessTransport();
  const svc = await createSocialMapService({
    pool,
    schema,
    transport,
    logger: createLogger('social-map', { level: 'error' }),
    metrics: createMetrics({ defaultMetrics: false }),
    authenticate: issuer.authenticate,
    topicPrefix: `${schema}.`,
    pseudonymSecret: randomBytes(32).toString('hex'),
    masterKey: randomBytes(32),
    now: () => new Date(),
  });
  await svc.start();
  const server = svc.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const keyUser = await issuer.sign({
    sub: 'bench-key-user',
    roles: ['key-user'],
    municipality: 'GM9999',
    municipalAccount: true,
  });
  const coach = await issuer.sign({ sub: 'bench-coach', roles: ['coach'] });
  const get = async (path) => {
    const response = await fetch(base + path, { headers: { authorization: `Bearer ${coach}` } });
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  };

  let loaded = 0;
  const fill = async (upTo) => {
    const start = process.hrtime.bigint();
    for (let first = true; loaded < upTo; first = false) {
      const services = Array.from({ length: Math.min(CHUNK, upTo - loaded) }, service);
      const body = { organizations: loaded === 0 && first ? organizations : [], services };
      const response = await fetch(`${base}/imports/hsds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keyUser}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201)
        throw new Error(`import: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
      loaded += services.length;
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
  };

  const measure = async () => {
    const results = {};
    for (const [label, query] of Object.entries(QUERIES)) {
      const path = query === null ? '/taxonomies' : `/services?municipality=GM9999&${query}`;
      const found = await get(path); // warm-up, and the hit count
      const times = [];
      const before = await backendTicks(admin);
      for (let i = 0; i < REPEAT; i++) {
        const start = process.hrtime.bigint();
        await get(path);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const after = before && (await backendTicks(admin));
      times.sort((a, b) => a - b);
      results[label] = {
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        p99: percentile(times, 99),
        hits: query === null ? '-' : found.total_items,
        dbCpu: after
          ? ([...after].reduce((sum, [pid, t]) => sum + t - (before.get(pid) ?? 0), 0) * TICK_MS) / REPEAT
          : null,
      };
    }
    return results;
  };

  try {
    const smallImport = await fill(SMALL);
    await pool.query('VACUUM ANALYZE map_services');
    const small = await measure();
    const largeImport = await fill(LARGE);
    // The map as autovacuum keeps it (statistics, visibility map): a social map changes a few entries a day.
    await pool.query('VACUUM ANALYZE map_services');
    const large = await measure();
    const nationalImport = NATIONAL > LARGE ? await fill(NATIONAL) : undefined;
    if (nationalImport !== undefined) await pool.query('VACUUM ANALYZE map_services');
    const national = nationalImport === undefined ? undefined : await measure();

    console.log(`Social-map search, ${REPEAT} runs per query through HTTP (GET /services), map of one municipality`);
    console.log(
      `import: ${SMALL} services in ${smallImport.toFixed(1)} s, then ${LARGE - SMALL} more in ${largeImport.toFixed(1)} s (${Math.round((LARGE - SMALL) / largeImport)} services/s)`,
    );
    const row = (cells) => console.log(cells.map((c, i) => String(c).padEnd(i === 0 ? 36 : 14)).join(''));
    row([
      'query',
      `p50 @${SMALL}`,
      `p50 @${LARGE}`,
      `p95 @${LARGE}`,
      `p99 @${LARGE}`,
      `hits @${LARGE}`,
      `p50 ratio`,
      `db cpu @${SMALL}`,
      `db cpu @${LARGE}`,
    ]);
    const cpu = (r) => (r.dbCpu === null ? '-' : `${r.dbCpu.toFixed(2)} ms`);
    const searches = Object.keys(QUERIES).filter((label) => QUERIES[label] !== null);
    for (const label of Object.keys(QUERIES)) {
      const s = small[label];
      const l = large[label];
      row([
        label,
        `${s.p50.toFixed(1)} ms`,
        `${l.p50.toFixed(1)} ms`,
        `${l.p95.toFixed(1)} ms`,
        `${l.p99.toFixed(1)} ms`,
        l.hits,
        (l.p50 / s.p50).toFixed(2),
        cpu(s),
        cpu(l),
      ]);
    }
    // The worst query kind decides each line (the no-SQL baseline is not a search).
    const worst = (f) => searches.reduce((a, b) => (f(b) > f(a) ? b : a));
    const p99Worst = worst((k) => large[k].p99);
    const ratioWorst = worst((k) => large[k].p50 / small[k].p50);
    console.log(`search p99 at ${LARGE}: ${large[p99Worst].p99.toFixed(1)} ms (${p99Worst})`);
    console.log(`p50 ${LARGE}/${SMALL}: ${(large[ratioWorst].p50 / small[ratioWorst].p50).toFixed(2)} (${ratioWorst})`);
    if (large[searches[0]].dbCpu !== null) {
      const cpuWorst = worst((k) => large[k].dbCpu);
      console.log(
        `db cpu at ${LARGE}: ${large[cpuWorst].dbCpu.toFixed(2)} ms (${cpuWorst}; at ${SMALL}: ${small[cpuWorst].dbCpu.toFixed(2)} ms)`,
      );
    }
    if (national) {
      console.log(`import of ${NATIONAL - LARGE} more services: ${nationalImport.toFixed(1)} s`);
      for (const label of searches)
        row([
          label,
          `p50 ${national[label].p50.toFixed(1)} ms`,
          `p99 ${national[label].p99.toFixed(1)} ms`,
          `db cpu ${cpu(national[label])}`,
        ]);
      const nWorst = worst((k) => national[k].p99);
      console.log(`search p99 at ${NATIONAL}: ${national[nWorst].p99.toFixed(1)} ms (${nWorst})`);
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await svc.stop();
    await pool.end();
    if (process.env.BENCH_KEEP) console.log(`kept schema ${schema}`);
    else await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    await transport.close();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
