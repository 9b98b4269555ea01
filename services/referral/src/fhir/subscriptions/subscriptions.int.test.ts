// FHIR R4 Subscriptions Backport end to end: real PostgreSQL, the service's own referral topic (in
// process), and real HTTP receivers started here. HAPI validates what the subscriber gets.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Topics } from '@wor/contracts';
import { bsnSequence, hapiValidationErrors } from '@wor/test-support';
import { coordinator, gp, otherGp, startReferralService, type ReferralServiceUnderTest } from '../../testing/harness';
import { referByTwoCalls, serviceRequestFor } from '../testing/fixtures';
import { BACKPORT_URLS } from './resources';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FHIR_BASE = 'https://fhir.test.example/wor/fhir';
const bsn = bsnSequence(410_000_000);

/**
 * An HTTP receiver: records every POST; `answer` gives the status of the n-th (0-based) one, and optionally
 * how long to wait before answering (a slow endpoint).
 */
const receiver = async (answer: (n: number, body: Json) => number | [number, number] = () => 200) => {
  const received: { body: Json; headers: Record<string, unknown>; at: number; answered: number }[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text) as Json;
      const given = answer(received.length, body);
      const [status, delayMs] = Array.isArray(given) ? given : [given, 0];
      received.push({ body, headers: req.headers, at: Date.now(), answered: status });
      setTimeout(() => res.writeHead(status).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const typeOf = (body: Json) =>
    (body.entry[0].resource.parameter as Json[]).find((p) => p.name === 'type')?.valueCode as string;
  return {
    url,
    received,
    typeOf,
    of: (type: string) => received.filter((r) => typeOf(r.body) === type),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
type Receiver = Awaited<ReturnType<typeof receiver>>;

const waitFor = async <T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  ms = 10_000,
): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const param = (parameters: Json, name: string): Json | undefined =>
  (parameters.parameter as Json[]).find((p) => p.name === name);
const eventNumbersOf = (body: Json): string[] =>
  (body.entry[0].resource.parameter as Json[])
    .filter((p) => p.name === 'notification-event')
    .map((p) => (p.part as Json[]).find((q) => q.name === 'event-number')!.valueString as string);

/**
 * HAPI cannot load the backport IG offline (no package server): the only errors allowed are its profiles
 * in meta.profile, "not found". Its extensions are no errors to HAPI (unknown extensions are allowed).
 */
const BACKPORT_PROFILE = 'http://hl7\\.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-[a-z0-9-]+';
const backportNotLoadable = (line: string) =>
  new RegExp(`'${BACKPORT_PROFILE}' has not been checked because it could not be found$`).test(line) ||
  new RegExp(`\tnull\tInvalid profile\\. Failed to retrieve profile with url=${BACKPORT_PROFILE}$`).test(line);

/**
 * How soon a notification must arrive for these tests. Measured it is tens of milliseconds (docs/fhir.md);
 * the bound is looser because test machines are busy, and timings are for benchmarks, not assertions.
 */
const PROMPTLY_MS = 3000;

describe('FHIR Subscriptions (R4 backport, rest-hook, id-only) on Task changes (real PostgreSQL and HTTP)', () => {
  let svc: ReferralServiceUnderTest;
  const receivers: Receiver[] = [];
  const validate: Record<string, unknown> = {};
  beforeAll(async () => {
    svc = await startReferralService({
      env: {
        ...process.env,
        FHIR_BASE_URL: FHIR_BASE,
        REFERRAL_SUBSCRIPTION_TICK_MS: '50',
        REFERRAL_SUBSCRIPTION_RETRY_BASE_MS: '100',
        REFERRAL_SUBSCRIPTION_RETRY_CAP_MS: '400',
        // The receivers here listen on the loopback address, which the endpoint policy refuses by default.
        REFERRAL_SUBSCRIPTION_ALLOWED_HOSTS: '127.0.0.1',
      },
    });
    await svc.agreement();
    // The other practice's samenwerkingsovereenkomst, so it can refer too (its referrals are not ours).
    await svc.publish(Topics.consent, {
      eventId: randomUUID(),
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      producer: 'consent',
      municipality: null,
      subjectId: null,
      type: 'DataSharingAgreementActivated',
      data: {
        agreementId: randomUUID(),
        parties: [
          { organisationId: 'huisarts-elders', role: 'joint-controller' },
          { organisationId: 'welzijn-beterstad', role: 'joint-controller' },
        ],
        purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
        dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
        validFrom: new Date(Date.now() - 86_400_000).toISOString(),
        validUntil: null,
        activatedAt: new Date().toISOString(),
      },
    });
  });
  afterAll(async () => {
    await svc.stop();
    for (const r of receivers) await r.close();
  });

  const open = async (answer?: (n: number, body: Json) => number | [number, number]) => {
    const r = await receiver(answer);
    receivers.push(r);
    return r;
  };
  const statusOf = async (id: string) => (await svc.http(gp, 'GET', `/fhir/Subscription/${id}`)).body.status as string;
  const metadataTopic = async (): Promise<string> => {
    const metadata = await svc.http(undefined, 'GET', '/fhir/metadata');
    const sub = (metadata.body.rest[0].resource as Json[]).find((r) => r.type === 'Subscription')!;
    expect(sub.interaction.map((i: Json) => i.code).sort()).toEqual(['create', 'read', 'search-type', 'update']);
    expect(sub.operation.map((o: Json) => o.name)).toEqual(['status']);
    const canonical = (sub.supportedProfile as string[])[0]!;
    expect(canonical).toBe(BACKPORT_URLS.subscriptionProfile);
    return `${(metadata.body.url as string).replace(/\/CapabilityStatement\/.*$/, '')}/SubscriptionTopic/task-changes`;
  };

  const subscription = (topicUrl: string, endpoint: string, over: (s: Json) => void = () => undefined): Json => {
    const s: Json = {
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'Changes of our referrals',
      criteria: topicUrl,
      _criteria: {
        extension: [{ url: BACKPORT_URLS.filterCriteria, valueString: 'Task?requester=huisarts-beterschap' }],
      },
      channel: {
        type: 'rest-hook',
        endpoint,
        payload: 'application/fhir+json',
        _payload: { extension: [{ url: BACKPORT_URLS.payloadContent, valueCode: 'id-only' }] },
        header: ['Authorization: Bearer receiver-secret'],
      },
    };
    over(s);
    return s;
  };

  const newReferral = async (caller = gp) => {
    const patient = bsn();
    const sr = serviceRequestFor(patient, await svc.consentFor(patient));
    if (caller === otherGp) (sr as Json).requester.identifier.value = 'huisarts-elders';
    const at = Date.now();
    // The Task create starts the referral (and is the first Task change); the ServiceRequest alone is none.
    return { id: (await referByTwoCalls(svc, caller, sr)).id, patient, at };
  };

  let topicUrl: string;
  beforeAll(async () => {
    topicUrl = await metadataTopic();
    validate.metadata = (await svc.http(undefined, 'GET', '/fhir/metadata')).body;
  });
  it('declares Subscription in the CapabilityStatement', async () => {
    expect(await metadataTopic()).toMatch(/^https?:\/\/.+\/SubscriptionTopic\/task-changes$/);
  });

  it('handshakes, notifies within a second of each Task change (ids only), and sends nothing once off', async () => {
    const hook = await open();
    const created = await svc.http(gp, 'POST', '/fhir/Subscription', subscription(topicUrl, hook.url));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(new RegExp(`^${FHIR_BASE}/Subscription/${created.body.id}/`));
    expect(created.body).toMatchObject({ resourceType: 'Subscription', status: 'requested', criteria: topicUrl });
    const id = created.body.id as string;
    validate['subscription-created'] = created.body;
    // The receiver's token is sealed: not in the stream, not in the view, not read back; only sent.
    expect(created.body.channel.header).toEqual(['Authorization: [sealed]']);
    const stored = await svc.pool.query<{ text: string }>(
      `SELECT data::text AS text FROM events WHERE stream_id = $1
       UNION ALL SELECT request::text FROM fhir_subscription WHERE subscription_id = $2`,
      [`fhir-subscription-${id}`, id],
    );
    expect(stored.rows.length).toBe(2);
    for (const row of stored.rows) expect(row.text).not.toContain('receiver-secret');

    const handshake = await waitFor('the handshake', () => hook.of('handshake')[0]);
    expect(handshake.headers.authorization).toBe('Bearer receiver-secret');
    expect(handshake.headers['content-type']).toBe('application/fhir+json');
    expect(handshake.body).toMatchObject({ resourceType: 'Bundle', type: 'history' });
    expect(param(handshake.body.entry[0].resource, 'subscription')!.valueReference.reference).toBe(
      `${FHIR_BASE}/Subscription/${id}`,
    );
    validate.handshake = handshake.body;
    await waitFor('status active', async () => (await statusOf(id)) === 'active' || undefined);
    const read = await svc.http(gp, 'GET', `/fhir/Subscription/${id}`);
    expect(read.body.status).toBe('active');
    validate['subscription-read'] = read.body;

    // A Task created, then accepted by FHIR PUT: two notifications, each within a second.
    const referral = await newReferral();
    const first = await waitFor('the create notification', () => hook.of('event-notification')[0]);
    expect(first.at - referral.at).toBeLessThan(PROMPTLY_MS);
    const task = await svc.http(coordinator, 'GET', `/fhir/Task/${referral.id}`);
    const accepted = await svc.http(
      coordinator,
      'PUT',
      `/fhir/Task/${referral.id}`,
      { ...task.body, status: 'accepted' },
      {
        'If-Match': task.headers.get('etag')!,
      },
    );
    expect(accepted.status).toBe(200);
    const changedAt = Date.now();
    const second = await waitFor('the accept notification', () => hook.of('event-notification')[1]);
    expect(second.at - changedAt).toBeLessThan(PROMPTLY_MS);
    expect(eventNumbersOf(first.body)).toEqual(['1']);
    expect(eventNumbersOf(second.body)).toEqual(['2']);
    const parameters = second.body.entry[0].resource as Json;
    expect(param(parameters, 'status')!.valueCode).toBe('active');
    expect(param(parameters, 'events-since-subscription-start')!.valueString).toBe('2');
    const focus = (param(parameters, 'notification-event')!.part as Json[]).find((p) => p.name === 'focus')!;
    expect(focus.valueReference.reference).toBe(`${FHIR_BASE}/Task/${referral.id}`);
    // id-only: the focus is an entry without a resource, and nothing about the patient travels.
    expect(second.body.entry[1]).toEqual({
      fullUrl: `${FHIR_BASE}/Task/${referral.id}`,
      request: { method: 'PUT', url: `Task/${referral.id}` },
      response: { status: '200' },
    });
    for (const r of hook.received)
      expect(JSON.stringify(r.body)).not.toMatch(new RegExp(`${referral.patient}|Jansen|Jan\\b`));
    validate['event-notification'] = second.body;

    // Another practice's referral is not this subscriber's.
    await newReferral(otherGp);

    const status = await svc.http(gp, 'GET', `/fhir/Subscription/${id}/$status`);
    expect(status.status).toBe(200);
    const statusParameters = status.body.entry[0].resource as Json;
    expect(param(statusParameters, 'type')!.valueCode).toBe('query-status');
    expect(param(statusParameters, 'events-since-subscription-start')!.valueString).toBe('2');
    validate.status = status.body;

    const off = await svc.http(gp, 'PUT', `/fhir/Subscription/${id}`, { ...read.body, status: 'off' });
    expect([off.status, off.body.status]).toEqual([200, 'off']);
    validate['subscription-off'] = off.body;
    const count = hook.received.length;
    await newReferral();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(hook.received.length).toBe(count);
    const search = await svc.http(gp, 'GET', '/fhir/Subscription?status=off');
    expect((search.body.entry as Json[]).map((e) => e.resource.id)).toContain(id);
    validate['subscription-search'] = search.body;
  }, 30_000);

  it('retries a failing endpoint until it answers (at least once), without delaying a healthy subscriber', async () => {
    // The failing receiver refuses its first two event notifications with 500, the first after 1.5 s.
    let refused = 0;
    const failing = await open((_n, body) => {
      const type = (body.entry[0].resource.parameter as Json[]).find((p) => p.name === 'type')!.valueCode;
      if (type !== 'event-notification' || refused >= 2) return 200;
      return refused++ === 0 ? [500, 1500] : 500;
    });
    const healthy = await open();
    const a = await svc.http(gp, 'POST', '/fhir/Subscription', subscription(topicUrl, failing.url));
    const b = await svc.http(gp, 'POST', '/fhir/Subscription', subscription(topicUrl, healthy.url));
    await waitFor('both handshakes', () => failing.of('handshake').length && healthy.of('handshake').length);
    for (const s of [a, b]) await waitFor('active', async () => (await statusOf(s.body.id)) === 'active' || undefined);

    const referral = await newReferral();
    const fast = await waitFor('the healthy notification', () => healthy.of('event-notification')[0]);
    expect(fast.at - referral.at).toBeLessThan(PROMPTLY_MS);
    // Not held up: the healthy subscriber had it before the failing one's first (slow) answer.
    const slow = await waitFor('the failing notification', () => failing.of('event-notification')[0]);
    expect(fast.at).toBeLessThan(slow.at + 1500);
    const delivered = await waitFor('the retried notification', () =>
      failing.of('event-notification').find((r) => r.answered === 200),
    );
    const attempts = failing.of('event-notification');
    expect(attempts.map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(attempts.map((r) => eventNumbersOf(r.body))).toEqual([['1'], ['1'], ['1']]);
    expect(fast.at).toBeLessThan(delivered.at);

    // Each attempt is recorded (after the answer came); the stream says error, then active again.
    const recorded = await waitFor('the fourth attempt recorded', async () => {
      const { rows } = await svc.pool.query(
        'SELECT kind, http_status FROM fhir_subscription_attempt WHERE subscription_id = $1 ORDER BY attempt_id',
        [a.body.id],
      );
      return rows.length >= 4 ? { rows } : undefined;
    });
    expect(recorded.rows).toEqual([
      { kind: 'handshake', http_status: 200 },
      { kind: 'event-notification', http_status: 500 },
      { kind: 'event-notification', http_status: 500 },
      { kind: 'event-notification', http_status: 200 },
    ]);
    await waitFor('active again', async () => (await statusOf(a.body.id)) === 'active' || undefined);
    const stream = await svc.pool.query('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version', [
      `fhir-subscription-${a.body.id}`,
    ]);
    expect(stream.rows.map((r) => r.type)).toEqual([
      'SubscriptionRequested',
      'SubscriptionActivated',
      'SubscriptionErrored',
      'SubscriptionActivated',
    ]);
    const status = await svc.http(gp, 'GET', `/fhir/Subscription/${a.body.id}/$status`);
    const parameters = status.body.entry[0].resource as Json;
    expect(param(parameters, 'status')!.valueCode).toBe('active');
    expect(param(parameters, 'events-since-subscription-start')!.valueString).toBe('1');
    expect(param(parameters, 'error')).toBeUndefined();
    for (const s of [a, b]) await svc.http(gp, 'PUT', `/fhir/Subscription/${s.body.id}`, { ...s.body, status: 'off' });
  }, 30_000);

  it('reports the errors since the last success in $status while an endpoint is down', async () => {
    const down = await open(() => 503);
    const created = await svc.http(gp, 'POST', '/fhir/Subscription', subscription(topicUrl, down.url));
    await waitFor('two handshake attempts', () => down.of('handshake').length >= 2);
    const status = await svc.http(gp, 'GET', `/fhir/Subscription/${created.body.id}/$status`);
    const parameters = status.body.entry[0].resource as Json;
    expect(param(parameters, 'status')!.valueCode).toBe('error');
    expect(param(parameters, 'error')!.valueCodeableConcept.text).toMatch(/^handshake at .*: HTTP 503$/);
    validate['status-error'] = status.body;
    const read = await svc.http(gp, 'GET', `/fhir/Subscription/${created.body.id}`);
    expect(read.body).toMatchObject({ status: 'error', error: 'HTTP 503' });
    await svc.http(gp, 'PUT', `/fhir/Subscription/${created.body.id}`, { ...read.body, status: 'off' });
  }, 30_000);

  it('sends a heartbeat every heartbeat period when nothing else was sent', async () => {
    const hook = await open();
    const created = await svc.http(
      gp,
      'POST',
      '/fhir/Subscription',
      subscription(topicUrl, hook.url, (s) => {
        s.channel.extension = [{ url: BACKPORT_URLS.heartbeatPeriod, valueUnsignedInt: 1 }];
      }),
    );
    expect(created.body.channel.extension).toEqual([{ url: BACKPORT_URLS.heartbeatPeriod, valueUnsignedInt: 1 }]);
    const beats = await waitFor(
      'two heartbeats',
      () => (hook.of('heartbeat').length >= 2 ? hook.of('heartbeat') : undefined),
      4000,
    );
    expect(beats[1]!.at - beats[0]!.at).toBeGreaterThanOrEqual(900);
    validate.heartbeat = beats[0]!.body;
    await svc.http(gp, 'PUT', `/fhir/Subscription/${created.body.id}`, { ...created.body, status: 'off' });
  }, 30_000);

  it('notifies a change by REST step as it does one by FHIR PUT', async () => {
    const hook = await open();
    const created = await svc.http(gp, 'POST', '/fhir/Subscription', subscription(topicUrl, hook.url));
    await waitFor('active', async () => (await statusOf(created.body.id)) === 'active' || undefined);
    const referral = await newReferral();
    const read = await svc.http(coordinator, 'GET', `/referrals/${referral.id}`);
    const rejected = await svc.http(
      coordinator,
      'POST',
      `/referrals/${referral.id}/reject`,
      { reason: 'no-capacity' },
      { 'if-match': read.headers.get('etag')! },
    );
    expect(rejected.status).toBe(200);
    const changedAt = Date.now();
    // Pending notifications travel together (up to 20 a Bundle): the create may come with it.
    const second = await waitFor('the reject notification', () =>
      hook.of('event-notification').find((r) => eventNumbersOf(r.body).includes('2')),
    );
    expect(second.at - changedAt).toBeLessThan(PROMPTLY_MS);
    await svc.http(gp, 'PUT', `/fhir/Subscription/${created.body.id}`, { ...created.body, status: 'off' });
  }, 30_000);

  it('finds the requester of a referral it never saw requested in the Task index', async () => {
    const hook = await open();
    const created = await svc.http(gp, 'POST', '/fhir/Subscription', subscription(topicUrl, hook.url));
    await waitFor('active', async () => (await statusOf(created.body.id)) === 'active' || undefined);
    const referral = await newReferral();
    await waitFor('the create notification', () => hook.of('event-notification')[0]);
    // The Task index is projected on its own; a referral older than the topic's retention is in it long
    // since, a new one only once its projector has caught up.
    await waitFor(
      'the referral in the Task index',
      async () =>
        ((await svc.pool.query('SELECT 1 FROM fhir_task_index WHERE referral_id = $1', [referral.id])).rowCount ?? 0) >
          0 || undefined,
    );
    // As if ReferralRequested had left the topic's retention before this consumer read it.
    await svc.pool.query('DELETE FROM fhir_subscription_requester WHERE referral_id = $1', [referral.id]);
    const task = await svc.http(coordinator, 'GET', `/fhir/Task/${referral.id}`);
    const accepted = await svc.http(
      coordinator,
      'PUT',
      `/fhir/Task/${referral.id}`,
      { ...task.body, status: 'accepted' },
      { 'If-Match': task.headers.get('etag')! },
    );
    expect(accepted.status).toBe(200);
    const second = await waitFor('the accept notification', () => hook.of('event-notification')[1]);
    expect(eventNumbersOf(second.body)).toEqual(['2']);
    await svc.http(gp, 'PUT', `/fhir/Subscription/${created.body.id}`, { ...created.body, status: 'off' });
  }, 30_000);

  it('turns itself off at Subscription.end', async () => {
    const hook = await open();
    const end = new Date(Date.now() + 1000).toISOString();
    const created = await svc.http(
      gp,
      'POST',
      '/fhir/Subscription',
      subscription(topicUrl, hook.url, (s) => (s.end = end)),
    );
    expect(created.body.end).toBe(end);
    await waitFor('status off', async () => (await statusOf(created.body.id)) === 'off' || undefined, 4000);
  }, 30_000);

  it('refuses other organisations, other topics, channels and payloads, as OperationOutcome', async () => {
    const hook = await open();
    const mine = await svc.http(gp, 'POST', '/fhir/Subscription', subscription(topicUrl, hook.url));
    const refusals = {
      'other-organisation-filter': await svc.http(
        gp,
        'POST',
        '/fhir/Subscription',
        subscription(
          topicUrl,
          hook.url,
          (s) => (s._criteria.extension[0].valueString = 'Task?requester=huisarts-elders'),
        ),
      ),
      'other-topic': await svc.http(
        gp,
        'POST',
        '/fhir/Subscription',
        subscription('http://example.org/topic', hook.url),
      ),
      'websocket-channel': await svc.http(
        gp,
        'POST',
        '/fhir/Subscription',
        subscription(topicUrl, hook.url, (s) => (s.channel.type = 'websocket')),
      ),
      'full-resource-payload': await svc.http(
        gp,
        'POST',
        '/fhir/Subscription',
        subscription(topicUrl, hook.url, (s) => (s.channel._payload.extension[0].valueCode = 'full-resource')),
      ),
      'reserved-header': await svc.http(
        gp,
        'POST',
        '/fhir/Subscription',
        subscription(topicUrl, hook.url, (s) => (s.channel.header = ['Host: intranet.example'])),
      ),
      // SSRF: http (127.0.0.1 alone is allowed here), and internal addresses as IP literals or by name.
      'http-endpoint': await svc.http(
        gp,
        'POST',
        '/fhir/Subscription',
        subscription(topicUrl, 'http://gp-system.example/hook'),
      ),
      'link-local-endpoint': await svc.http(
        gp,
        'POST',
        '/fhir/Subscription',
        subscription(topicUrl, 'https://169.254.169.254/latest/meta-data'),
      ),
      'unique-local-endpoint': await svc.http(
        gp,
        'POST',
        '/fhir/Subscription',
        subscription(topicUrl, 'https://[fd00::1]/hook'),
      ),
      'private-endpoint': await svc.http(gp, 'POST', '/fhir/Subscription', subscription(topicUrl, 'https://10.1.2.3/')),
      'loopback-by-name': await svc.http(
        gp,
        'POST',
        '/fhir/Subscription',
        subscription(topicUrl, 'https://localhost/hook'),
      ),
      'by-a-coordinator': await svc.http(coordinator, 'POST', '/fhir/Subscription', subscription(topicUrl, hook.url)),
      'read-by-another-practice': await svc.http(otherGp, 'GET', `/fhir/Subscription/${mine.body.id}`),
      'off-by-another-practice': await svc.http(otherGp, 'PUT', `/fhir/Subscription/${mine.body.id}`, {
        ...mine.body,
        status: 'off',
      }),
    };
    expect(Object.fromEntries(Object.entries(refusals).map(([k, r]) => [k, [r.status, r.body.resourceType]]))).toEqual({
      'other-organisation-filter': [403, 'OperationOutcome'],
      'other-topic': [422, 'OperationOutcome'],
      'websocket-channel': [422, 'OperationOutcome'],
      'full-resource-payload': [422, 'OperationOutcome'],
      'reserved-header': [422, 'OperationOutcome'],
      'http-endpoint': [422, 'OperationOutcome'],
      'link-local-endpoint': [422, 'OperationOutcome'],
      'unique-local-endpoint': [422, 'OperationOutcome'],
      'private-endpoint': [422, 'OperationOutcome'],
      'loopback-by-name': [422, 'OperationOutcome'],
      'by-a-coordinator': [403, 'OperationOutcome'],
      'read-by-another-practice': [404, 'OperationOutcome'],
      'off-by-another-practice': [404, 'OperationOutcome'],
    });
    expect(refusals['other-topic'].body.issue[0].expression).toEqual(['Subscription.criteria']);
    expect(refusals['websocket-channel'].body.issue[0].expression).toEqual(['Subscription.channel.type']);
    for (const key of ['http-endpoint', 'link-local-endpoint', 'unique-local-endpoint', 'private-endpoint'] as const)
      expect(refusals[key].body.issue[0].expression).toEqual(['Subscription.channel.endpoint']);
    expect(refusals['link-local-endpoint'].body.issue[0].diagnostics).toMatch(
      /link-local address \(169\.254\.169\.254\)/,
    );
    // localhost resolves to a loopback address (or, without a resolver, does not resolve): refused either way.
    expect(refusals['loopback-by-name'].body.issue[0]).toMatchObject({
      expression: ['Subscription.channel.endpoint'],
      diagnostics: expect.stringMatching(/^localhost (resolves to a loopback address|does not resolve)/),
    });
    expect((await svc.http(gp, 'GET', `/fhir/Subscription/${mine.body.id}`)).body.status).not.toBe('off');
    await svc.http(gp, 'PUT', `/fhir/Subscription/${mine.body.id}`, { ...mine.body, status: 'off' });
  });

  it('validates what subscribers get against base R4 with HAPI (the backport IG cannot be loaded offline)', async () => {
    expect(Object.keys(validate).sort()).toEqual([
      'event-notification',
      'handshake',
      'heartbeat',
      'metadata',
      'status',
      'status-error',
      'subscription-created',
      'subscription-off',
      'subscription-read',
      'subscription-search',
    ]);
    const errors = await hapiValidationErrors(validate);
    expect(errors.filter((line) => !backportNotLoadable(line))).toEqual([]);
  }, 180_000);
});
