// Trace continuity: request span → relay publish span → consumer CONSUMER span, one traceId, over
// the in-process transport and over real Kafka (headers carry the traceparent). In a service process
// the kafkajs instrumentation adds its PRODUCER and CONSUMER spans in between (see the launcher's
// tracing e2e test); here, without it, the relay span is INTERNAL over Kafka and PRODUCER in-process.
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { uniqueName } from '@wor/test-support';
import { createConsumer } from './consumer';
import { createInProcessTransport } from './in-process-transport';
import { createRelay } from './relay';
import {
  appendNumbered,
  countingHandle,
  mapToIntegration,
  parseTestEvent,
  setUpDb,
  testLogger,
  waitFor,
  type TestDb,
  type TestEvent,
} from './testing/fixtures';
import { kafkaTestTransport } from './testing/kafka';
import type { Transport } from './transport';

const exporter = new InMemorySpanExporter();

beforeAll(() => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

const scenario = async (db: TestDb, transport: Transport) => {
  exporter.reset();
  const topic = uniqueName('traced');
  const requestSpan = trace.getTracer('test').startSpan('POST /referrals', { kind: SpanKind.SERVER });
  const { traceId, spanId } = requestSpan.spanContext();
  requestSpan.end();

  const traceIdsSeenByHandler: (string | undefined)[] = [];
  const consumer = createConsumer<TestEvent>({
    name: uniqueName('traced_consumer'),
    topics: [topic],
    transport,
    pool: db.pool,
    schema: db.schema,
    parse: parseTestEvent,
    handle: async (event, tx) => {
      traceIdsSeenByHandler.push(trace.getActiveSpan()?.spanContext().traceId);
      await countingHandle(event, tx, db.schema);
    },
    logger: testLogger(),
  });
  await consumer.start();

  const before = (await db.counts()).size;
  await appendNumbered(db.store, 0, 2, 2, `00-${traceId}-${spanId}-01`);
  const relay = createRelay({
    name: uniqueName('traced_relay'),
    store: db.store,
    pool: db.pool,
    schema: db.schema,
    transport,
    topic,
    map: mapToIntegration,
    logger: testLogger(),
  });
  expect(await relay.runOnce()).toBe(2);
  await waitFor(async () => (await db.counts()).size === before + 2, 30_000, 'both events applied');
  await consumer.stop();

  const spans = exporter.getFinishedSpans();
  const producers = spans.filter((s) => s.name === `${topic} publish`);
  expect(producers.map((s) => s.kind)).toEqual([transport.kind === 'kafka' ? SpanKind.INTERNAL : SpanKind.PRODUCER]);
  const consumers = spans.filter((s) => s.kind === SpanKind.CONSUMER);
  // Both events share the request's traceparent: one publish span for them, child of the request.
  expect(producers).toHaveLength(1);
  expect(producers[0]?.spanContext().traceId).toBe(traceId);
  expect(producers[0]?.parentSpanContext?.spanId).toBe(spanId);
  expect(producers[0]?.name).toBe(`${topic} publish`);
  // One CONSUMER span per message, children of the PRODUCER span.
  expect(consumers).toHaveLength(2);
  for (const span of consumers) {
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe(producers[0]?.spanContext().spanId);
    expect(span.attributes['wor.messaging.outcome']).toBe('processed');
  }
  expect(traceIdsSeenByHandler).toEqual([traceId, traceId]);
};

describe('trace continuity from request to consumer', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await setUpDb();
  });
  afterEach(async () => {
    await db.close();
  });

  it('over the in-process transport', async () => {
    const transport = createInProcessTransport();
    try {
      await scenario(db, transport);
    } finally {
      await transport.close();
    }
  });

  it('events of two requests, interleaved, go out in order, each run inside its own trace', async () => {
    exporter.reset();
    const transport = createInProcessTransport();
    const topic = uniqueName('runs');
    const traceA = `00-${'a'.repeat(32)}-${'1'.repeat(16)}-01`;
    const traceB = `00-${'b'.repeat(32)}-${'2'.repeat(16)}-01`;
    const seen: { n: number; traceId: string | undefined }[] = [];
    const subscription = await transport.subscribe({
      groupId: uniqueName('runs_group'),
      topics: [topic],
      handle: async (message) => {
        const parent = trace.getSpanContext(propagation.extract(context.active(), message.headers));
        seen.push({ n: JSON.parse(message.value).data.n, traceId: parent?.traceId });
      },
    });
    try {
      await appendNumbered(db.store, 0, 1, 1, traceA);
      await appendNumbered(db.store, 1, 1, 1, traceB);
      await appendNumbered(db.store, 2, 1, 1, traceA);
      const relay = createRelay({
        name: uniqueName('runs_relay'),
        store: db.store,
        pool: db.pool,
        schema: db.schema,
        transport,
        topic,
        map: mapToIntegration,
        logger: testLogger(),
      });
      expect(await relay.runOnce()).toBe(3);
      expect(seen).toEqual([
        { n: 0, traceId: 'a'.repeat(32) },
        { n: 1, traceId: 'b'.repeat(32) },
        { n: 2, traceId: 'a'.repeat(32) },
      ]);
      expect(exporter.getFinishedSpans().filter((s) => s.name === `${topic} publish`)).toHaveLength(3);
    } finally {
      await subscription.stop();
      await transport.close();
    }
  });

  it('over real Kafka', async () => {
    const transport = await kafkaTestTransport();
    try {
      await scenario(db, transport);
    } finally {
      await transport.close();
    }
  });
});
