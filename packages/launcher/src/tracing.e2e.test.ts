// One trace from the GP system's HTTP request through the database, the event store, the relay,
// Kafka and the reporting consumer, as an operator sees it in the trace viewer: every service runs
// as its own process with the maintained instrumentations and exports to an OTLP receiver started
// here. The trace must carry none of the patient's personal data.
import { eventually, freePort } from '@wor/test-support';
import express from 'express';
import type { Server } from 'node:http';
import { startDistributedPlatform, type DistributedPlatform } from './testing/distributed';
import { giveConsent, patient, submitReferral } from './testing/thin-slice';

jest.setTimeout(120_000);

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number; // OTLP: 1 internal, 2 server, 3 client, 4 producer, 5 consumer
  attributes?: { key: string; value: OtlpValue }[];
};
type Received = OtlpSpan & { service: string; attrs: Record<string, unknown> };
type ResourceSpans = {
  resource?: { attributes?: { key: string; value: OtlpValue }[] };
  scopeSpans?: { spans?: OtlpSpan[] }[];
};

const valueOf = (v: OtlpValue): unknown => v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;
const attrsOf = (list: { key: string; value: OtlpValue }[] = []) =>
  Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/** A minimal OTLP/HTTP JSON trace receiver: what a collector would get. */
const startReceiver = async () => {
  const spans: Received[] = [];
  const bodies: string[] = [];
  const app = express();
  app.use(express.json({ limit: '20mb' }));
  app.post('/v1/traces', (req, res) => {
    bodies.push(JSON.stringify(req.body));
    for (const resourceSpans of (req.body.resourceSpans ?? []) as ResourceSpans[]) {
      const service = String(attrsOf(resourceSpans.resource?.attributes)['service.name']);
      for (const scope of resourceSpans.scopeSpans ?? [])
        for (const span of scope.spans ?? []) spans.push({ ...span, service, attrs: attrsOf(span.attributes) });
    }
    res.json({});
  });
  const port = await freePort();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${port}`, spans, everything: () => bodies.join('\n'), close: () => server.close() };
};

describe('tracing across HTTP, PostgreSQL, Kafka and consumers (service processes)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let distributed: DistributedPlatform;

  beforeAll(async () => {
    receiver = await startReceiver();
    distributed = await startDistributedPlatform('trace', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
  });

  afterAll(async () => {
    await distributed?.stop();
    receiver?.close();
  });

  it('one trace from the referral request to the reporting consumer, with queries and Kafka hops, and no personal data', async () => {
    const { urls } = distributed.platform;
    const bsn = '135792460';
    const consentId = await giveConsent(urls, bsn);
    const referral = await submitReferral(urls, consentId, bsn);
    expect(referral.status).toBe(201);

    const server = await eventually(
      async () =>
        receiver.spans.find(
          (s) =>
            s.service === 'referral' &&
            s.kind === 2 &&
            s.name === 'POST /referrals' &&
            s.attrs['http.response.status_code'] === 201,
        ),
      30_000,
      'the referral request span',
    );
    const inTrace = () => receiver.spans.filter((s) => s.traceId === server.traceId);
    const reportingConsumer = await eventually(
      async () => inTrace().find((s) => s.service === 'reporting' && s.kind === 5),
      30_000,
      'the kafkajs CONSUMER span in reporting, in the same trace',
    );
    expect(reportingConsumer.attrs['messaging.system']).toBe('kafka');
    // The handling of the event is a step inside the CONSUMER span.
    await eventually(
      async () =>
        inTrace().find((s) => s.service === 'reporting' && s.kind === 1 && s.parentSpanId === reportingConsumer.spanId),
      30_000,
      'the reporting consumer handling span',
    );
    const spans = inTrace();
    // The request's database work: statements, never parameter values.
    const queries = spans.filter((s) => s.service === 'referral' && s.attrs['db.statement'] !== undefined);
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.some((q) => /INSERT INTO/i.test(String(q.attrs['db.statement'])))).toBe(true);
    // The outbox hop (relay span), the kafkajs PRODUCER span under it.
    // Each process exports on its own schedule: wait for the relay's spans rather than take the snapshot's.
    const relay = await eventually(
      async () => inTrace().find((s) => s.service === 'referral' && s.name.endsWith('publish') && s.kind === 1),
      30_000,
      'the relay span',
    );
    await eventually(
      async () =>
        inTrace().some((s) => s.service === 'referral' && s.kind === 4 && s.parentSpanId === relay.spanId)
          ? true
          : undefined,
      30_000,
      'the kafkajs PRODUCER span under the relay span',
    );

    // Nothing of the patient anywhere in what the collector received.
    const seeded = patient(bsn);
    const text = receiver.everything();
    for (const value of [bsn, seeded.name.given, seeded.name.family, seeded.phone, seeded.email, seeded.birthDate])
      expect(text).not.toContain(value);
  });
});
