import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { injectTraceparent, withExtractedContext } from './trace-context';
import { initTracing, type Tracing } from './tracing';
import { testApp } from './testing/fixtures';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`;

// The request spans come from the instrumentations; instrumentation.int.test.ts shows them in a real process.
describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => {
    tracing = initTracing('test-service', { exporter });
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => exporter.reset());

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
