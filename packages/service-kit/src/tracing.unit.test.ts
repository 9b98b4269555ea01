import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import request from 'supertest';
import { injectTraceparent, withExtractedContext } from './trace-context';
import { initTracing, type Tracing } from './tracing';
import { testApp } from './testing/fixtures';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`;

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => {
    tracing = initTracing('test-service', { exporter });
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => exporter.reset());

  const setup = () =>
    testApp((router) => {
      router.get('/things/:id', (_req, res) => {
        res.json({ traceparent: injectTraceparent() });
      });
      router.post('/things', async (_req, res) => {
        await new Promise((r) => setTimeout(r, 5));
        res.json({ traceId: trace.getActiveSpan()?.spanContext().traceId });
      });
    });

  it('continues the incoming traceparent with a SERVER span named after the route', async () => {
    const t = setup();
    const res = await request(t.app)
      .get('/things/42')
      .set('traceparent', TRACEPARENT)
      .set('Authorization', `Bearer ${await t.token()}`)
      .expect(200);
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0]!;
    expect(span.name).toBe('GET /things/:id');
    expect(span.kind).toBe(1); // SpanKind.SERVER
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(PARENT_SPAN_ID);
    expect(span.attributes['http.response.status_code']).toBe(200);
    expect(span.attributes['http.route']).toBe('/things/:id');
    // The span is the active context inside the handler.
    expect(res.body.traceparent).toBe(`00-${TRACE_ID}-${span.spanContext().spanId}-01`);
    // And the request log line carries the trace id.
    expect(t.lines().find((l) => l.msg === 'request')).toMatchObject({ trace_id: TRACE_ID });
  });

  it('keeps the span active after the JSON body is parsed', async () => {
    const t = setup();
    const res = await request(t.app)
      .post('/things')
      .set('traceparent', TRACEPARENT)
      .set('Authorization', `Bearer ${await t.token()}`)
      .send({ a: 1 })
      .expect(200);
    expect(res.body.traceId).toBe(TRACE_ID);
  });

  it('starts a new trace without traceparent and marks 5xx spans as errors', async () => {
    const t = testApp((router) =>
      router.get('/fail', () => {
        throw new Error('x');
      }),
    );
    await request(t.app)
      .get('/fail')
      .set('Authorization', `Bearer ${await t.token()}`)
      .expect(500);
    const span = exporter.getFinishedSpans()[0]!;
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(span.attributes['http.response.status_code']).toBe(500);
  });

  it('injectTraceparent / withExtractedContext carry a context across a non-HTTP hop', () => {
    expect(injectTraceparent()).toBeUndefined();
    const inner = withExtractedContext(TRACEPARENT, () => {
      const span = tracing.tracer.startSpan('consume');
      return context.with(trace.setSpan(context.active(), span), () => {
        const tp = injectTraceparent();
        span.end();
        return { tp, spanId: span.spanContext().spanId };
      });
    });
    expect(inner.tp).toBe(`00-${TRACE_ID}-${inner.spanId}-01`);
    const consume = exporter.getFinishedSpans().find((s) => s.name === 'consume')!;
    expect(consume.parentSpanContext?.spanId).toBe(PARENT_SPAN_ID);
    expect(withExtractedContext(undefined, () => trace.getActiveSpan())).toBeUndefined();
    expect(withExtractedContext('garbage', () => trace.getActiveSpan())).toBeUndefined();
  });

  it('the log mixin adds trace_id and span_id of the active span', async () => {
    const t = testApp(() => {});
    const span = tracing.tracer.startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => t.logger.info('inside'));
    span.end();
    expect(t.lines().find((l) => l.msg === 'inside')).toMatchObject({
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
  });
});
