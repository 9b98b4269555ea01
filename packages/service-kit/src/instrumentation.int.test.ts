// The maintained instrumentations as a service process uses them: a child process loads
// instrumentation.ts before express and pg, serves a request that queries PostgreSQL and calls out
// with fetch, and reports its spans. Nothing of the secret in the query string or the query's
// parameters may reach a span.
import { databaseUrl } from '@wor/test-support';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const SECRET = '999999990';

type SpanJson = {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  status: number;
  attributes: Record<string, unknown>;
};

describe('process instrumentation (http, express, pg, undici)', () => {
  let answers: Record<string, unknown>;
  let spans: SpanJson[];
  let raw: string;

  beforeAll(async () => {
    const child = spawn(process.execPath, [join(__dirname, 'testing', 'instrumented-app.js'), SECRET], {
      env: { ...process.env, DATABASE_URL: await databaseUrl() },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const { base, token } = JSON.parse((await lines.next()).value as string);
    // This test process is not instrumented: the traceparent arrives as a caller's would.
    const headers = { authorization: `Bearer ${token}`, traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` };
    answers = {
      get: await (await fetch(`${base}/things/42?patient=${SECRET}`, { headers })).json(),
      post: await (
        await fetch(`${base}/things`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: '{"a":1}',
        })
      ).json(),
      fail: (await fetch(`${base}/fail`, { headers: { authorization: headers.authorization } })).status,
    };
    child.stdin.write('spans\n');
    raw = (await lines.next()).value as string;
    spans = JSON.parse(raw);
  });

  const server = (route: string) => spans.find((s) => s.kind === 1 && s.attributes['http.route'] === route);

  it('continues the incoming traceparent with a SERVER span named after the route', () => {
    const span = server('/things/:id')!;
    expect(span).toBeDefined();
    expect(span.name).toBe('GET /things/:id');
    expect(span.traceId).toBe(TRACE_ID);
    expect(span.parentSpanId).toBe(PARENT_SPAN_ID);
    expect(span.attributes['http.response.status_code']).toBe(200);
    expect(answers.get).toEqual({ value: true, echoed: 200 });
  });

  it('shows the database query under the request, without its parameter values', () => {
    const request = server('/things/:id')!;
    const query = spans.find((s) => s.attributes['db.statement'] !== undefined && s.traceId === TRACE_ID);
    expect(query).toBeDefined();
    expect(String(query!.attributes['db.statement'])).toBe('SELECT $1::text AS v');
    const ancestors = new Set<string>();
    for (let s: SpanJson | undefined = query; s; s = spans.find((p) => p.spanId === s!.parentSpanId))
      ancestors.add(s.spanId);
    expect(ancestors.has(request.spanId)).toBe(true);
  });

  it('shows the outgoing call as a CLIENT span, continued by the called route', () => {
    const client = spans.find((s) => s.kind === 2 && s.attributes['url.full'] !== undefined);
    expect(client).toBeDefined();
    const echo = server('/echo')!;
    expect(echo.traceId).toBe(TRACE_ID);
    expect(echo.parentSpanId).toBe(client!.spanId);
  });

  it('keeps the request span active after the JSON body is parsed', () => {
    expect(answers.post).toEqual({ traceId: TRACE_ID });
  });

  it('starts a new trace without traceparent and marks a 5xx request span as an error', () => {
    const fail = server('/fail')!;
    expect(fail.parentSpanId).toBeUndefined();
    expect(fail.status).toBe(2); // SpanStatusCode.ERROR
    expect(fail.attributes['http.response.status_code']).toBe(500);
  });

  it('records no query string and no query parameter anywhere', () => {
    expect(raw).not.toContain(SECRET);
    expect(server('/things/:id')!.attributes['url.query']).toBe('REDACTED');
  });
});
