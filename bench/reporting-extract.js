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
// BENCH_SCHEMA names a schema to keep: filled on the first run, reused (not refilled, not dropped) after.
const KEEP = process.env.BENCH_SCHEMA;
const schema = KEEP || `bench_repx_${randomBytes(4).toString('hex')}`;

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

// The anchor: one aggregate pass over the same fact table, computing the extract's cells from the facts
// in one statement — the requested cohort per practice, referrer role, age band, sex, furthest step,
// feedback, hold and reasons (per reason list), the closed cohort per outcome, coach-hours band and GAS
// scores (per score list), with the days-to-step and coach-hours means and medians and the Positieve
// Gezondheid change per dimension — as GROUPING SETS with per-cohort FILTERs, in the extract's session
// settings, reading the days and health changes the table stores (migration extract-derived-columns),
// as the extract does. No suppression, no JSON, none of the small tables (list sizes, consents, denials, links):
// what reading and aggregating these facts costs in plain SQL. $1 municipality, $2 position, $3/$4 period.
const IN_PERIOD = (c) =>
  `${c} >= ($3::timestamp AT TIME ZONE 'Europe/Amsterdam') AND ${c} < ($4::timestamp AT TIME ZONE 'Europe/Amsterdam')`;
const ONE_PASS = `
WITH f AS (
  SELECT practice_id, referrer_role, age_band, sex,
    ${IN_PERIOD('requested_at')} AS req, closed_pos <= $2 AND ${IN_PERIOD('closed_at')} AS closed,
    CASE WHEN closed_pos <= $2 THEN closed_as WHEN rejected_pos <= $2 THEN 'rejected'
         WHEN intake_pos <= $2 THEN 'intake-held' WHEN first_contact_pos <= $2 THEN 'contacted'
         WHEN accepted_pos <= $2 THEN 'accepted' ELSE 'requested' END AS stage,
    CASE WHEN feedback_pos <= $2 THEN 'sent' ELSE 'not-sent' END AS feedback,
    CASE WHEN on_hold_pos <= $2 THEN 'yes' ELSE 'no' END AS on_hold,
    CASE WHEN closed_pos <= $2 THEN closed_as || ':' || closure_reason END AS outcome,
    CASE WHEN closed_pos <= $2 THEN CASE WHEN coach_hours < 7 THEN 'under-7' WHEN coach_hours <= 10 THEN '7-10' ELSE 'over-10' END END AS hours,
    CASE WHEN closed_pos <= $2 THEN coach_hours END AS coach_hours, reasons,
    CASE WHEN closed_pos <= $2 THEN gas_scores END AS gas_scores,
    ${[1, 2, 3, 4, 5, 6].map((k) => `CASE WHEN closed_pos <= $2 AND intake_pos <= $2 THEN health_change[${k}] END AS d${k}`).join(', ')},
    CASE WHEN accepted_pos <= $2 THEN accepted_days END AS a,
    CASE WHEN first_contact_pos <= $2 THEN first_contact_days END AS c,
    CASE WHEN intake_pos <= $2 THEN intake_days END AS i
  FROM referral_facts
  WHERE municipality = $1 AND requested_pos <= $2 AND (error_pos IS NULL OR error_pos > $2))
SELECT GROUPING(practice_id, referrer_role, age_band, sex, stage, feedback, on_hold, outcome, hours, reasons, gas_scores) AS g,
  COALESCE(practice_id, referrer_role, age_band, sex, stage, feedback, on_hold, outcome, hours) AS key, reasons, gas_scores,
  count(*) FILTER (WHERE req) AS requested, count(*) FILTER (WHERE closed) AS closed,
  avg(a) FILTER (WHERE req), percentile_cont(0.5) WITHIN GROUP (ORDER BY a) FILTER (WHERE req),
  avg(c) FILTER (WHERE req), percentile_cont(0.5) WITHIN GROUP (ORDER BY c) FILTER (WHERE req),
  avg(i) FILTER (WHERE req), percentile_cont(0.5) WITHIN GROUP (ORDER BY i) FILTER (WHERE req),
  avg(coach_hours) FILTER (WHERE closed), percentile_cont(0.5) WITHIN GROUP (ORDER BY coach_hours) FILTER (WHERE closed),
  ${[1, 2, 3, 4, 5, 6].map((k) => `avg(d${k}) FILTER (WHERE closed)`).join(', ')}
FROM f WHERE req OR closed
GROUP BY GROUPING SETS ((practice_id), (referrer_role), (age_band), (sex), (stage), (feedback), (on_hold), (reasons),
  (outcome), (hours), (gas_scores), ())`;

const seconds = async (fn) => {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
};

const main = async () => {
  const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
  await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const pool = new Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 2 });
  try {
    await migrateReporting(pool, schema);
    const filled = Number((await pool.query('SELECT count(*) AS n FROM referral_facts')).rows[0].n);
    if (filled > 0 && filled !== REFERRALS) throw new Error(`${schema} holds ${filled} referrals, not ${REFERRALS}`);
    const fill = await seconds(async () => {
      if (filled > 0) return;
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
    console.log(
      `${REFERRALS} referral facts ${filled ? `kept in ${schema}` : `written in ${fill.seconds.toFixed(1)} s`}`,
    );

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
    const onePass = async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        // The extract's session settings (withSnapshot): the same memory for sorts and hashes, no JIT.
        await client.query(`SET LOCAL work_mem = '64MB'; SET LOCAL hash_mem_multiplier = 200; SET LOCAL jit = off`);
        const r = await client.query(ONE_PASS, ['GM0001', REFERRALS * 10 + 10, year.from, year.until]);
        await client.query('COMMIT');
        return JSON.stringify(r.rows);
      } finally {
        client.release();
      }
    };
    const best = {};
    for (const [name, run] of [...runs, ['one-pass anchor', onePass]]) {
      const times = [];
      let bytes = 0;
      for (let i = 0; i < REPEAT; i++) {
        const r = await seconds(run);
        times.push(r.seconds);
        bytes = Buffer.byteLength(r.result);
      }
      best[name] = Math.min(...times);
      console.log(`${name.padEnd(34)} ${times.map((t) => `${t.toFixed(2)} s`).join('  ')}  (${bytes} bytes)`);
    }
    // Best of the repeats on both sides: the least disturbed run of each on a shared machine.
    const extract = best['year extract (JSON), latest'];
    const anchor = best['one-pass anchor'];
    console.log(`one-pass anchor ${anchor.toFixed(2)} s`);
    console.log(`ratio extract/one-pass ${(anchor / extract).toFixed(2)} (1.00 = as fast as the one pass)`);
  } finally {
    await pool.end();
    if (!KEEP) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
