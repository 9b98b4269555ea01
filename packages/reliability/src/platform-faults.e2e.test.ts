// The platform as separate processes (built services) on real PostgreSQL and a PRIVATE second Kafka
// broker, under faults: conflicting commands, a replica stopped with SIGTERM mid-request, the broker
// stopped and restarted, the database connections cut and refused for a while. The services report
// not-ready meanwhile, retry with backoff and catch up afterwards: every referral that was accepted is
// counted once in reporting and appears in the work queue.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startProcesses, type RunningPlatform } from '@wor/launcher';
import * as serviceKit from '@wor/service-kit';
import { bsnSequence, databaseUrl, eventually, freePort, uniqueName } from '@wor/test-support';
import { Client } from 'pg';
// The launcher's thin-slice helpers (source: its testing folder is not part of the build).
import {
  dropSchemas,
  ensureAgreement,
  referralBody,
  referralCount,
  submitReferral,
  type Caller,
} from '../../launcher/src/testing/thin-slice';
import { secondBroker, type SecondBroker } from './testing/second-broker';
import { sleep, spawnNode } from './testing/processes';

jest.setTimeout(120_000);

const issuer = serviceKit.createDevIssuer();
// The development issuer's key for a spawned service, where this service-kit has one (it signs tokens
// in this process, and the child must accept them).
const devIssuerEnv = (): Record<string, string> => {
  const key = (serviceKit as { devIssuerKey?: () => string }).devIssuerKey?.();
  return key ? { WOR_DEV_ISSUER_KEY: key } : {};
};
const gp: Caller = { sub: 'gp-system-e2e', roles: ['gp-system'], org: 'huisarts-e2e' };
const coordinator: Caller = { sub: 'coordinator-rel', roles: ['coordinator'], org: 'welzijn-e2e' };
const REFERRAL_MAIN = path.join(__dirname, '..', '..', '..', 'services', 'referral', 'dist', 'main.js');

const call = async (
  caller: Caller | undefined,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const response = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(caller ? { authorization: `Bearer ${await issuer.sign(caller)}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    text,
    body: (text.startsWith('{') ? JSON.parse(text) : undefined) as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  };
};

/** Consent for the whole lifecycle (the thin slice's covers the referral only). */
const giveConsent = async (urls: RunningPlatform['urls'], bsn: string): Promise<string> => {
  await ensureAgreement(urls);
  const r = await call(gp, 'POST', `${urls.consent}/consents`, {
    patient: { bsn },
    recipientOrganisationId: 'welzijn-e2e',
    purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
    dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
    evidence: { method: 'signed', documentReference: 'doc-rel' },
  });
  expect(r.status).toBe(201);
  return r.body.consentId as string;
};

const t0 = Date.now();
/** Progress on stderr, so a slow or stuck step is visible in the CI log. */
const step = (what: string) =>
  process.stderr.write(`platform-faults +${((Date.now() - t0) / 1000).toFixed(1)}s ${what}\n`);

const readiness = async (url: string) => {
  const r = await call(undefined, 'GET', `${url}/ready`).catch(() => ({ status: 0, body: undefined }));
  return { status: r.status, failed: (r.body?.failed ?? []) as string[] };
};

describe('the platform under faults (processes, real PostgreSQL, a private Kafka broker)', () => {
  let broker: SecondBroker;
  let platform: RunningPlatform;
  let admin: Client;
  let role: string;
  let prefix: string;
  let serviceDatabaseUrl: string;
  const secrets = {
    WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
    WOR_MASTER_KEY: randomBytes(32).toString('base64'),
    // Shared by the platform's referral process and the replica started below.
    WOR_KEYRING_DIR: mkdtempSync(path.join(tmpdir(), 'wor-keyring-')),
  };
  /** Referrals the referral service answered 201 for: each must be counted exactly once. */
  const accepted = new Set<string>();
  let countedBefore = 0;
  const nextBsn = bsnSequence(100_000_000);
  const known: { bsn: string; consentId: string }[] = [];
  /** A referral for a patient whose consent the referral service already knows. */
  const submitKnown = async (i: number) => {
    const { bsn, consentId } = known[i % known.length]!;
    const r = await call(gp, 'POST', `${platform.urls.referral}/referrals`, referralBody(consentId, bsn));
    expect(r.status).toBe(201);
    accepted.add(r.body.referralId as string);
  };

  const submit = async () => {
    const bsn = nextBsn();
    const consentId = await giveConsent(platform.urls, bsn);
    const r = await submitReferral(platform.urls, consentId, bsn);
    expect(r.status).toBe(201);
    accepted.add(r.body.referralId as string);
    return r.body.referralId as string;
  };

  beforeAll(async () => {
    broker = await secondBroker();
    const url = await databaseUrl();
    admin = new Client({ connectionString: url });
    await admin.connect();
    // The services log in as their own role, so its connections can be cut and refused on their own.
    role = uniqueName('wor_fault');
    await admin.query(`CREATE ROLE ${role} LOGIN SUPERUSER`);
    serviceDatabaseUrl = Object.assign(new URL(url), { username: role, password: '' }).toString();
    prefix = `${uniqueName('rel')}_`;
    await broker.start();
    platform = await startProcesses({
      databaseUrl: serviceDatabaseUrl,
      kafkaBrokers: broker.brokers,
      secrets,
      prefix,
      ports: {
        referral: await freePort(),
        consent: await freePort(),
        'social-map': await freePort(),
        reporting: await freePort(),
      },
      output: (service, chunk) => {
        if (process.env.RELIABILITY_VERBOSE) process.stderr.write(`[${service}] ${chunk}`);
      },
    });
    countedBefore = await referralCount(platform.urls);
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await broker?.remove();
    if (admin) {
      await admin.query(`ALTER ROLE ${role} LOGIN`).catch(() => undefined);
      await dropSchemas(
        await databaseUrl(),
        ['referral', 'consent', 'social_map', 'reporting'].map((s) => prefix + s),
      );
      await admin.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await admin.end();
    }
  }, 60_000);

  it('50 clients assign a coach with the same If-Match: one wins, the rest get 409/412, the stream stays consistent', async () => {
    const id = await submit();
    const submitted = await call(gp, 'GET', `${platform.urls.referral}/referrals/${id}`);
    const acceptedStep = await call(
      coordinator,
      'POST',
      `${platform.urls.referral}/referrals/${id}/accept`,
      { feedbackMessage: 'Aangenomen.' },
      { 'if-match': submitted.etag! },
    );
    expect([acceptedStep.status, acceptedStep.body?.detail]).toEqual([200, undefined]);
    const etag = acceptedStep.etag!;

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(
          coordinator,
          'POST',
          `${platform.urls.referral}/referrals/${id}/coach`,
          { coachId: `coach-${i}` },
          { 'if-match': etag },
        ),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409 || s === 412)).toHaveLength(49);
    const winner = results.find((r) => r.status === 200)!;

    // Read it back: one assignment, at the version after the accepted one, and versions without gaps.
    const now = await call(coordinator, 'GET', `${platform.urls.referral}/referrals/${id}`);
    expect(now.etag).toBe(winner.etag);
    expect(now.body.coachId ?? now.body.coach?.coachId).toBe(winner.body.coachId ?? winner.body.coach?.coachId);
    const { rows } = await admin.query<{ stream_id: string; stream_version: number; type: string }>(
      `SELECT stream_id, stream_version, type FROM "${prefix}referral".events
        WHERE stream_id = (SELECT stream_id FROM "${prefix}referral".events WHERE type = 'CoachAssigned' AND data->>'referralId' = $1)
        ORDER BY stream_version`,
      [id],
    );
    expect(rows.filter((r) => r.type === 'CoachAssigned')).toHaveLength(1);
    expect(rows.map((r) => r.stream_version)).toEqual(rows.map((_, i) => rows[0]!.stream_version + i));
  });

  it('exposes consumer lag and the relay rate on /metrics', async () => {
    await submit();
    await eventually(
      async () => {
        const metrics = await call(undefined, 'GET', `${platform.urls.reporting}/metrics`);
        return /wor_messaging_consumer_lag_messages\{consumer="[^"]+",topic="[^"]+",partition="\d+"\} \d+/.test(
          metrics.text,
        )
          ? true
          : undefined;
      },
      30_000,
      'consumer lag on the reporting service /metrics',
    );
    const referralMetrics = await call(undefined, 'GET', `${platform.urls.referral}/metrics`);
    expect(referralMetrics.text).toMatch(/wor_messaging_relay_events_read_total\{relay="referral-events"\} [1-9]/);
    expect(referralMetrics.text).toMatch(/wor_messaging_relay_published_total\{relay="referral-events"\} [1-9]/);
    expect(referralMetrics.text).toMatch(/wor_messaging_consumer_lag_messages\{consumer="[^"]*referral\.consent-view"/);
  });

  it('a replica stopped with SIGTERM during requests completes the ones in flight', async () => {
    // A second referral replica on the same schema and topics; the platform's replica keeps running.
    const port = await freePort();
    const replica = spawnNode('referral-replica', REFERRAL_MAIN, {
      ...secrets,
      ...devIssuerEnv(),
      DATABASE_URL: serviceDatabaseUrl,
      KAFKA_BROKERS: broker.brokers,
      PORT: String(port),
      HOST: '127.0.0.1',
      DB_SCHEMA: `${prefix}referral`,
      KAFKA_TOPIC_PREFIX: prefix,
    });
    const replicaUrl = `http://127.0.0.1:${port}`;
    try {
      await eventually(
        async () => {
          if (replica.process.exitCode !== null) throw new Error(`the replica exited with ${replica.process.exitCode}`);
          return (await readiness(replicaUrl)).status === 200 ? true : undefined;
        },
        60_000,
        'the replica ready',
      );
    } catch (error) {
      replica.process.kill('SIGKILL');
      throw error;
    }
    const bsns = Array.from({ length: 20 }, () => nextBsn());
    const consents = await Promise.all(bsns.map((bsn) => giveConsent(platform.urls, bsn)));
    // Each consent known to the referral service (it learns them over Kafka) before the burst.
    for (const [i, bsn] of bsns.entries()) {
      const warm = await submitReferral(platform.urls, consents[i]!, bsn);
      expect(warm.status).toBe(201);
      accepted.add(warm.body.referralId as string);
    }
    const before = Number(
      (await admin.query(`SELECT count(*) AS n FROM "${prefix}referral".events WHERE type = 'ReferralRequested'`))
        .rows[0].n,
    );

    let signalledAt = 0;
    const requests = bsns.map(async (bsn, i) => {
      const r = await call(gp, 'POST', `${replicaUrl}/referrals`, referralBody(consents[i]!, bsn)).then(
        (response) => ({ ...response, at: Date.now() }),
        (error: unknown) => ({
          status: 0,
          at: Date.now(),
          error: String(error),
          body: undefined as Record<string, unknown> | undefined,
        }),
      );
      return r;
    });
    // The signal once the replica answers the first of them, so the others are in flight: a fixed
    // wait was too short on a loaded machine (none had reached the replica yet).
    await Promise.race(requests);
    signalledAt = Date.now();
    replica.process.kill('SIGTERM');
    const results = await Promise.all(requests);
    const exit = await replica.exited;
    expect(exit).toEqual({ code: 0, signal: null }); // drained and exited by itself

    const completed = results.filter((r) => r.status === 201);
    // Every request got a whole answer (201) or was never taken (connection refused): no 5xx, no reset.
    expect(results.filter((r) => r.status !== 201 && r.status !== 0)).toEqual([]);
    expect(completed.some((r) => r.at > signalledAt)).toBe(true); // some were in flight at SIGTERM
    for (const r of completed) accepted.add(r.body!.referralId as string);
    const after = Number(
      (await admin.query(`SELECT count(*) AS n FROM "${prefix}referral".events WHERE type = 'ReferralRequested'`))
        .rows[0].n,
    );
    expect(after - before).toBe(completed.length);
    console.log(
      `SIGTERM: ${completed.length} of ${results.length} requests completed, the rest refused before being taken`,
    );
  });

  it('the broker stopped and restarted: not ready meanwhile, then everything accepted is delivered', async () => {
    step('broker test');
    // Patients whose consent the referral service already knows (it learns consent over Kafka, which
    // after a broker restart takes a consumer-group session timeout to resume).
    for (let i = 0; i < 3; i++) {
      const bsn = nextBsn();
      const consentId = await giveConsent(platform.urls, bsn);
      const r = await submitReferral(platform.urls, consentId, bsn);
      expect(r.status).toBe(201);
      accepted.add(r.body.referralId as string);
      known.push({ bsn, consentId });
    }
    step('stopping the broker');
    await broker.stop();
    await eventually(
      async () => {
        const r = await readiness(platform.urls.referral);
        return r.status === 503 && r.failed.includes('broker') ? true : undefined;
      },
      30_000,
      'the referral service not ready (broker)',
    );
    step('referral service not ready (broker)');
    // The event store is the outbox: referrals are still taken while the broker is away.
    for (let i = 0; i < 3; i++) await submitKnown(i);
    await sleep(2_000);
    step('starting the broker');
    await broker.start();
    step('broker started');
    await eventually(
      async () => ((await readiness(platform.urls.referral)).status === 200 ? true : undefined),
      60_000,
      'the referral service ready again',
    );
    step('referral service ready');
    await submitKnown(0);
    await eventually(
      async () => ((await referralCount(platform.urls)) === countedBefore + accepted.size ? true : undefined),
      150_000,
      `reporting to count all ${accepted.size} referrals`,
    );
    step('reporting counted every referral');
  }, 240_000);

  it('database connections cut and refused for a while: not ready meanwhile, then catches up', async () => {
    step('database test');
    await admin.query(`ALTER ROLE ${role} NOLOGIN`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
    await eventually(
      async () => {
        const r = await readiness(platform.urls.referral);
        return r.status === 503 && r.failed.includes('database') ? true : undefined;
      },
      30_000,
      'the referral service not ready (database)',
    );
    const refused = await call(
      gp,
      'POST',
      `${platform.urls.referral}/referrals`,
      referralBody('00000000-0000-4000-8000-000000000000', '123456782'),
    );
    expect(refused.status).toBeGreaterThanOrEqual(500); // nothing half-stored: the append never ran
    step('referral service not ready (database)');
    await sleep(3_000);
    await admin.query(`ALTER ROLE ${role} LOGIN`);
    await eventually(
      async () => ((await readiness(platform.urls.referral)).status === 200 ? true : undefined),
      60_000,
      'the referral service ready again',
    );
    step('referral service ready');
    await submitKnown(1);
    await submitKnown(2);
    await eventually(
      async () => ((await referralCount(platform.urls)) === countedBefore + accepted.size ? true : undefined),
      150_000,
      `reporting to count all ${accepted.size} referrals`,
    );
    step('reporting counted every referral');
    // And not more: a redelivered event is not counted twice.
    await sleep(2_000);
    expect(await referralCount(platform.urls)).toBe(countedBefore + accepted.size);
  }, 240_000);
});
