#!/usr/bin/env node
// Rebuilding every reporting read model from reporting's own log (received_events), against a plain
// sequential read of the same events from the same table with the same batches. See bench/README.md.
// Needs a build: npx turbo run build --filter=@wor/reporting-service
'use strict';
const { randomBytes, randomUUID } = require('node:crypto');
const { Pool } = require('pg');
const { migrateReporting } = require('../services/reporting/dist/migrations');
const { createProgress } = require('../packages/service-kit/dist');
const { rebuildReadModels } = require('../services/reporting/dist/rebuild/rebuild');
const { readReceived } = require('../services/reporting/dist/received-events/store');
const { recordEvent } = require('../services/reporting/dist/monitoring/record');
const { withTransaction } = require('../packages/event-store-postgres/dist');

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const EVENTS = Number(process.env.BENCH_EVENTS || 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH || 5_000);
const schema = `bench_rep_${randomBytes(4).toString('hex')}`;

const REASONS = ['eenzaamheid', 'somberheid-angst', 'stress-overbelasting', 'zingeving', 'rouw'];
const ROLES = ['huisarts', 'poh-ggz', 'poh-s', 'praktijkverpleegkundige'];
const AGES = ['18-24', '25-44', '45-64', '65-74', '75+'];
const health = (s) => ({
  lichaamsfuncties: s,
  'mentaal-welbevinden': s,
  zingeving: s,
  'kwaliteit-van-leven': s,
  meedoen: s,
  'dagelijks-functioneren': s,
});

/** One referral's events (about 12: its steps and the access-log entries around them). */
const referralEvents = (i) => {
  const referralId = randomUUID();
  const municipality = `GM${String(1 + (i % 50)).padStart(4, '0')}`;
  const start = Date.parse('2026-01-01T08:00:00Z') + (i % 360) * 86_400_000;
  const at = (days) => new Date(start + days * 86_400_000).toISOString();
  const e = (type, producer, occurredAt, data) => ({
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    occurredAt,
    producer,
    municipality,
    subjectId: null,
    data,
  });
  const access = (outcome, when) =>
    e('AccessLogged', 'referral', when, {
      action: 'R',
      accessedAt: when,
      userId: 'coach-x',
      onBehalfOf: null,
      role: 'coach',
      organisationId: 'welzijn-een',
      purpose: 'wor-coaching',
      dataCategories: ['contact-details'],
      resource: { type: 'referral', id: referralId },
      outcome,
      checks: { authorisation: true, consent: outcome === 'allowed', agreement: true, emergencyAccess: false },
      consentId: null,
      agreementId: null,
      reason: outcome === 'denied' ? 'no consent for this purpose' : null,
    });
  return [
    e('ReferralRequested', 'referral', at(0), {
      referralId,
      consentId: randomUUID(),
      practiceId: `huisarts-${i % 400}`,
      recipientOrganisationId: 'welzijn-een',
      referrerRole: ROLES[i % ROLES.length],
      reasons: [REASONS[i % REASONS.length]],
      ageBand: AGES[i % AGES.length],
      sex: i % 2 ? 'female' : 'male',
      requestedAt: at(0),
    }),
    e('ReferralAccepted', 'referral', at(2), { referralId, organisationId: 'welzijn-een', acceptedAt: at(2) }),
    e('FeedbackSent', 'referral', at(2), {
      referralId,
      moment: 'acceptance',
      practiceId: `huisarts-${i % 400}`,
      sentAt: at(2),
    }),
    e('CoachAssigned', 'referral', at(2), {
      referralId,
      organisationId: 'welzijn-een',
      reassignment: false,
      assignedAt: at(2),
    }),
    e('ContactAttempted', 'referral', at(4), { referralId, attemptNumber: 1, reached: true, attemptedAt: at(4) }),
    e('FirstContactMade', 'referral', at(4), { referralId, contactedAt: at(4) }),
    access('allowed', at(4)),
    e('IntakeHeld', 'referral', at(10), {
      referralId,
      heldOn: at(10).slice(0, 10),
      positiveHealth: health(5),
      goals: [{ goalId: randomUUID(), baseline: -1 }],
      recordedAt: at(10),
    }),
    e('ActivityLinked', 'referral', at(12), {
      referralId,
      serviceId: '0b9e5a3c-7d21-4f6e-8a90-1c2d3e4f5a6b',
      linkedAt: at(12),
    }),
    access(i % 10 ? 'allowed' : 'denied', at(12)),
    i % 4
      ? e('ReferralCompleted', 'referral', at(60), {
          referralId,
          outcome: 'linked-to-activity',
          positiveHealth: health(7),
          gasScores: [{ goalId: randomUUID(), score: 1 }],
          coachHours: 8,
          completedAt: at(60),
        })
      : e('ReferralFailed', 'referral', at(30), { referralId, reason: 'dropped-out', coachHours: 4, failedAt: at(30) }),
    e('FeedbackSent', 'referral', at(61), {
      referralId,
      moment: 'closure',
      practiceId: `huisarts-${i % 400}`,
      sentAt: at(61),
    }),
  ];
};

const fill = async (pool) => {
  let position = 0;
  let referral = 0;
  let pending = [];
  const flush = async () => {
    const rows = pending.map((event) => ({
      position: ++position,
      event_id: event.eventId,
      type: event.type,
      producer: event.producer,
      occurred_at: event.occurredAt,
      received_at: new Date(Date.parse('2026-12-31T00:00:00Z') + position).toISOString(),
      payload: event,
    }));
    await pool.query(
      'INSERT INTO received_events SELECT * FROM jsonb_populate_recordset(NULL::received_events, $1::jsonb)',
      [JSON.stringify(rows)],
    );
    pending = [];
  };
  while (position + pending.length < EVENTS) {
    const events = referralEvents(referral++).slice(0, EVENTS - position - pending.length);
    pending.push(...events);
    if (pending.length >= 5_000) await flush();
  }
  if (pending.length) await flush();
  return { events: position, referrals: referral };
};

const seconds = async (fn) => {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
};

const plainRead = async (pool) => {
  const client = await pool.connect();
  try {
    let n = 0;
    for await (const batch of readReceived(client, { batchSize: BATCH })) n += batch.length;
    return n;
  } finally {
    client.release();
  }
};

/**
 * The live path during the rebuild: one referral's events recorded every 20 ms on a connection of its
 * own, as the consumer would; returns the longest time one event's transaction took (its wait).
 */
const liveWriter = (pool) => {
  let stop = false;
  let longest = 0;
  let events = 0;
  const run = (async () => {
    for (let i = 10_000_000; !stop; i++) {
      for (const event of referralEvents(i).slice(0, 3)) {
        const start = process.hrtime.bigint();
        await withTransaction(pool, (tx) => recordEvent(event, tx));
        longest = Math.max(longest, Number(process.hrtime.bigint() - start) / 1e6);
        events += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return async () => {
    stop = true;
    await run;
    return { longest, events };
  };
};

const main = async () => {
  const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const pool = new Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 2 });
  try {
    await migrateReporting(pool, schema);
    const filled = await seconds(() => fill(pool));
    console.log(
      `log filled: ${filled.result.events} events of ${filled.result.referrals} referrals in ${filled.seconds.toFixed(1)} s`,
    );
    await pool.query('VACUUM ANALYZE received_events');

    const read1 = await seconds(() => plainRead(pool));
    const progress = createProgress({ label: 'rebuild', unit: 'events' });
    const livePool = new Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 1 });
    const stopLive = liveWriter(livePool);
    const rebuild = await seconds(() =>
      rebuildReadModels(pool, { batchSize: BATCH, onProgress: (p) => progress.update(p.done, p.total) }),
    );
    const live = await stopLive();
    await livePool.end();
    progress.finish();
    const read2 = await seconds(() => plainRead(pool));

    const n = rebuild.result.events;
    const readRate = (read1.result + read2.result) / (read1.seconds + read2.seconds);
    const rebuildRate = n / rebuild.seconds;
    const { server_version } = (await pool.query('SHOW server_version')).rows[0];
    console.log(`PostgreSQL ${server_version}; ${n} events, batches of ${BATCH}`);
    console.log(
      `plain sequential read   ${readRate.toFixed(0).padStart(9)} events/s  (${read1.seconds.toFixed(1)} s, ${read2.seconds.toFixed(1)} s)`,
    );
    console.log(
      `rebuild all read models ${rebuildRate.toFixed(0).padStart(9)} events/s  (${rebuild.seconds.toFixed(1)} s)`,
    );
    console.log(`rebuild/read            ${(rebuildRate / readRate).toFixed(3).padStart(9)}`);
    console.log(
      `live events during the rebuild: ${live.events} recorded, longest wait ${live.longest.toFixed(0)} ms (the log's lock is held only for the last events and the swap)`,
    );
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
