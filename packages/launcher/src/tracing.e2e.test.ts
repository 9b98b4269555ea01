// One trace from the GP system's HTTP request through the event store, the relay, Kafka and the
// reporting consumer: what an operator follows in the trace viewer.
import { createKafkaTransport } from '@wor/messaging';
import { initTracing, type Tracing } from '@wor/service-kit';
import { databaseUrl, eventually, kafkaBrokers, uniqueName } from '@wor/test-support';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import { startInProcess, type RunningPlatform } from './in-process';
import { SERVICES } from './services';
import { dropSchemas, giveConsent, submitReferral } from './testing/thin-slice';

jest.setTimeout(90_000);

describe('tracing across HTTP, Kafka and consumers', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let platform: RunningPlatform;
  let url: string;
  const prefix = `${uniqueName('trace')}_`;

  beforeAll(async () => {
    tracing = initTracing('wor-test', { exporter });
    url = await databaseUrl();
    platform = await startInProcess({
      databaseUrl: url,
      secrets: {
        WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
        WOR_MASTER_KEY: randomBytes(32).toString('base64'),
      },
      prefix,
      ports: { referral: 0, consent: 0, 'social-map': 0, reporting: 0 },
      transport: createKafkaTransport({ brokers: await kafkaBrokers(), clientId: prefix }),
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await tracing?.shutdown();
    await dropSchemas(
      url,
      SERVICES.map((s) => prefix + s.schema),
    );
  });

  it('the reporting consumer continues the trace of the referral request', async () => {
    const consentId = await giveConsent(platform.urls, '135792468');
    exporter.reset();
    const referral = await submitReferral(platform.urls, consentId, '135792468');
    expect(referral.status).toBe(201);

    const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
    const server = spans().find(
      (s) =>
        s.kind === SpanKind.SERVER && s.name === 'POST /referrals' && s.attributes['http.response.status_code'] === 201,
    );
    expect(server).toBeDefined();
    const traceId = server!.spanContext().traceId;

    const consumer = await eventually(
      async () =>
        spans().find(
          (s) =>
            s.kind === SpanKind.CONSUMER &&
            s.spanContext().traceId === traceId &&
            String(s.attributes['messaging.consumer.group.name']).endsWith('reporting.referral-counts'),
        ),
      30_000,
      'the reporting consumer span',
    );
    const producer = spans().find((s) => s.kind === SpanKind.PRODUCER && s.spanContext().traceId === traceId);
    expect(producer).toBeDefined();
    expect(consumer.spanContext().traceId).toBe(traceId);
  });
});
