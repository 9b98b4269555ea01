// SSRF with the default endpoint policy (no allowed hosts): a loopback endpoint is refused at create,
// and one that got into a subscription's stream anyway (as if its name resolved publicly at create and
// to an internal address now: DNS rebinding) is refused when the delivery connects; the attempt is
// recorded as failed and the receiver gets nothing. Real PostgreSQL and a real HTTP receiver.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCommand } from '@wor/event-store';
import { createEventStore } from '@wor/service-kit';
import { gp, startReferralService, type ReferralServiceUnderTest } from '../../testing/harness';
import { BACKPORT_URLS } from './resources';
import { subscriptionDecider, subscriptionStreamOf } from './subscription';

describe('Subscription endpoints under the default policy (real PostgreSQL and HTTP)', () => {
  let svc: ReferralServiceUnderTest;
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(req.url ?? '');
    req.resume().on('end', () => res.writeHead(200).end());
  });
  let port: number;
  beforeAll(async () => {
    const { REFERRAL_SUBSCRIPTION_ALLOWED_HOSTS: _allowed, ...env } = process.env;
    svc = await startReferralService({ env: { ...env, REFERRAL_SUBSCRIPTION_TICK_MS: '50' } });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await svc.stop();
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('refuses a loopback endpoint at create, naming Subscription.channel.endpoint', async () => {
    const metadata = await svc.http(undefined, 'GET', '/fhir/metadata');
    const topic = `${(metadata.body.url as string).replace(/\/CapabilityStatement\/.*$/, '')}/SubscriptionTopic/task-changes`;
    const created = await svc.http(gp, 'POST', '/fhir/Subscription', {
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'r',
      criteria: topic,
      channel: {
        type: 'rest-hook',
        endpoint: `http://127.0.0.1:${port}/create`,
        payload: 'application/fhir+json',
        _payload: { extension: [{ url: BACKPORT_URLS.payloadContent, valueCode: 'id-only' }] },
      },
    });
    expect([created.status, created.body.resourceType, created.body.issue[0].expression]).toEqual([
      422,
      'OperationOutcome',
      ['Subscription.channel.endpoint'],
    ]);
    expect((await svc.pool.query('SELECT 1 FROM fhir_subscription')).rowCount).toBe(0);
  });

  it.each([
    // Without the check at delivery the receiver would get the handshake.
    ['an IP address (http)', 'http://127.0.0.1', /^EndpointRefused: an https URL/],
    // By name the connection's lookup refuses (the address it would connect to).
    ['a name (https)', 'https://localhost', /^EndpointRefused: localhost resolves to a loopback address|ENOTFOUND/],
  ])(
    'refuses at delivery an endpoint on the loopback address by %s: a failed attempt, nothing sent',
    async (_, origin, error) => {
      const store = createEventStore({ pool: svc.pool, schema: svc.schema });
      const subscriptionId = randomUUID();
      await handleCommand(store, subscriptionStreamOf(subscriptionId), subscriptionDecider, {
        type: 'RequestSubscription',
        data: {
          subscriptionId,
          organisationId: 'huisarts-beterschap',
          reason: 'rebound',
          fhirBase: 'https://fhir.test.example/fhir',
          endpoint: `${origin}:${port}/${subscriptionId}`,
          headerNames: [],
          sealedHeaders: null,
          heartbeatSeconds: null,
          end: null,
          requestedAt: new Date().toISOString(),
        },
      });
      const until = Date.now() + 5000;
      let attempts: { kind: string; http_status: number | null; error: string }[] = [];
      while (attempts.length < 1 && Date.now() < until) {
        await new Promise((done) => setTimeout(done, 20));
        attempts = (
          await svc.pool.query(
            'SELECT kind, http_status, error FROM fhir_subscription_attempt WHERE subscription_id = $1',
            [subscriptionId],
          )
        ).rows;
      }
      expect(attempts[0]).toMatchObject({ kind: 'handshake', http_status: null });
      expect(attempts[0]!.error).toMatch(error);
      expect(received.filter((url) => url.includes(subscriptionId))).toEqual([]);
    },
  );
});
