#!/usr/bin/env node
// Time of the GALA year extract of one municipality over BENCH_REFERRALS referrals (default 1,000,000),
// all in that municipality (BENCH_MUNICIPALITIES=1, the worst case) or spread over more. See bench/README.md.
// Needs a build: npx turbo run build --filter=@wor/reporting-service
//
// The fact rows are written with one SQL statement, as the projection would have built them from
// those referrals' ~10 events each (the projection specs check that mapping; bench/reporting-rebuild.js
// measures the projection itself). Positions are spread as the events would have had them.
'use strict';
const { randomBytes } = require('node:crypto');
const { Pool } = require('pg');
const { migrateReporting } = require('../services/reporting/dist/migrations');
const { buildExtract, toCsv, toJson } = require('../services/reporting/dist/extracts/extract');
const { parsePeriod } = require('../services/reporting/dist/periods/period');

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REFERRALS = Number(process.env.BENCH_REFERRALS || 1_000_000);
// 1: every referral in GM0001 (the worst case); 100: spread like a national monitor, extract of one.
const MUNICIPALITIES = Number(process.env.BENCH_MUNICIPALITIES || 1);
const REPEAT = Number(process.env.BENCH_REPEAT || 3);
const schema = `bench_repx_${randomBytes(4).toString('hex')}`;

const FILL = `
INSERT INTO referral_facts (referral_id, municipality, practice_id, recipient_organisation_id, referrer_role, reasons, age_band, sex,
  requested_at, requested_pos, accepted_at, accepted_pos, coach_assigned_at, coach_assigned_pos, first_contact_at, first_contact_pos,
  intake_on, intake_health, intake_pos, closed_as, closed_at, closure_reason, coach_hours, closure_health, gas_scores, closed_pos,
  feedback_at, feedback_moment, feedback_pos, error_at, error_pos)
SELECT gen_random_uuid(), 'GM' || lpad((1 + i % $2::int)::text, 4, '0'), 'huisarts-' || (i % 400), 'welzijn-een',
  (ARRAY['huisarts','poh-ggz','poh-s','praktijkverpleegkundige','other'])[1 + i % 5],
  ARRAY[(ARRAY['eenzaamheid','somberheid-angst','stress-overbelasting','zingeving','rouw','leefstijl-bewegen','financiele-zorgen','werk-dagbesteding','mantelzorgbelasting','other'])[1 + i % 10]],
  (ARRAY['0-17','18-24','25-44','45-64','65-74','75+'])[1 + i % 6], (ARRAY['female','male','other','unknown'])[1 + i % 4],
  t, i * 10 + 1, t + interval '2 days', i * 10 + 2, t + interval '2 days', i * 10 + 3, t + (i % 14) * interval '1 day', i * 10 + 4,
  (t + interval '10 days')::date, h5, i * 10 + 5,
  CASE WHEN i % 5 = 0 THEN 'failed' ELSE 'completed' END, t + interval '60 days',
  CASE WHEN i % 5 = 0 THEN 'dropped-out' ELSE 'linked-to-activity' END, 4 + i % 9, h7, ARRAY[i % 5 - 2], i * 10 + 6,
  t + interval '2 days', 'acceptance', i * 10 + 7,
  CASE WHEN i % 1000 = 0 THEN t + interval '1 day' END, CASE WHEN i % 1000 = 0 THEN i * 10 + 8 END
FROM generate_series(1, $1::int) AS i,
  LATERAL (SELECT timestamptz '2026-01-01 00:00 Europe/Amsterdam' + (i::float8 / $1::int) * interval '300 days' AS t,
                  ARRAY[5, 5, 5, 5, 5, 5]::numeric[] AS h5, ARRAY[7, 6, 7, 7, 8, 7]::numeric[] AS h7) AS x`;

const seconds = async (fn) => {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
};

const main = async () => {
  const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const pool = new Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 2 });
  try {
    await migrateReporting(pool, schema);
    const fill = await seconds(async () => {
      await pool.query(FILL, [REFERRALS, MUNICIPALITIES]);
      // The log's last position and its time; list sizes as the municipality set them.
      await pool.query(
        `INSERT INTO received_events (position, event_id, type, producer, occurred_at, received_at, payload)
         SELECT p, gen_random_uuid(), 'Bench', 'reporting', now(), timestamptz '2027-01-02 00:00Z' + p * interval '1 microsecond', '{}'
         FROM unnest(ARRAY[$1::bigint / 2, $1::bigint]) AS p`,
        [REFERRALS * 10 + 10],
      );
      await pool.query(
        `INSERT INTO practice_list_sizes SELECT p, 'GM0001', 'huisarts-' || p, 2000 + p, timestamptz '2026-01-01Z' FROM generate_series(0, 399) AS p`,
      );
      await pool.query('VACUUM ANALYZE');
    });
    console.log(`${REFERRALS} referral facts written in ${fill.seconds.toFixed(1)} s`);

    const year = parsePeriod('2026');
    const runs = [
      ['year extract (JSON), latest', () => buildExtract(pool, { municipality: 'GM0001', period: year }).then(toJson)],
      ['year extract (CSV), latest', () => buildExtract(pool, { municipality: 'GM0001', period: year }).then(toCsv)],
      [
        'year extract (JSON), as of half',
        () =>
          buildExtract(pool, { municipality: 'GM0001', period: year, asOf: (REFERRALS * 10 + 10) / 2 }).then(toJson),
      ],
      [
        'quarter extract (JSON), latest',
        () => buildExtract(pool, { municipality: 'GM0001', period: parsePeriod('2026-Q2') }).then(toJson),
      ],
      [
        'two-month extract (JSON), latest',
        () => buildExtract(pool, { municipality: 'GM0001', period: parsePeriod('2026-B3') }).then(toJson),
      ],
    ];
    console.log(
      `PostgreSQL ${(await pool.query('SHOW server_version')).rows[0].server_version}; ${REFERRALS} referrals in 2026 over ${MUNICIPALITIES} municipalities; extracts of GM0001 (${Math.ceil(REFERRALS / MUNICIPALITIES)} referrals)`,
    );
    for (const [name, run] of runs) {
      const times = [];
      let bytes = 0;
      for (let i = 0; i < REPEAT; i++) {
        const r = await seconds(run);
        times.push(r.seconds);
        bytes = Buffer.byteLength(r.result);
      }
      console.log(`${name.padEnd(34)} ${times.map((t) => `${t.toFixed(2)} s`).join('  ')}  (${bytes} bytes)`);
    }
  } finally {
    await pool.end();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
