// A process the way a service runs: instrumentation first, then express and pg. It serves a few
// routes for instrumentation.int.test.ts, which calls them from outside (with a W3C traceparent),
// then writes "spans" on stdin: the process prints its finished spans as JSON and exits.
// Needs the package built (dist) and DATABASE_URL.
const { InMemorySpanExporter } = require('@opentelemetry/sdk-trace-base');
const exporter = new InMemorySpanExporter();
require('../../dist/instrumentation').startProcessTracing('instrumented-app', { exporter });

const { createApp, createDevIssuer, createLogger } = require('../../dist');
const { trace } = require('@opentelemetry/api');
const { Pool } = require('pg');

const SECRET = process.argv[2]; // a value that must appear in no span

const main = async () => {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const issuer = createDevIssuer({ secret: 'instrumented-app-secret-0123456789abcdef' });
  let base = '';
  const app = createApp({
    serviceName: 'instrumented-app',
    logger: createLogger('instrumented-app', { level: 'silent' }),
    authenticate: issuer.authenticate,
    routes: (router) => {
      router.get('/things/:id', async (req, res) => {
        const { rows } = await pool.query('SELECT $1::text AS v', [SECRET]);
        const echoed = await fetch(`${base}/echo?patient=${SECRET}`, {
          headers: { authorization: req.headers.authorization },
        });
        res.json({ value: rows[0].v === SECRET, echoed: echoed.status });
      });
      router.get('/echo', (_req, res) => res.json({ ok: true }));
      router.post('/things', async (_req, res) => {
        await new Promise((r) => setTimeout(r, 5));
        res.json({ traceId: trace.getActiveSpan()?.spanContext().traceId });
      });
      router.get('/fail', () => {
        throw new Error('x');
      });
    },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${server.address().port}`;
  const token = await issuer.sign({ sub: 'user-1', roles: ['coach'], org: 'org-1' });
  process.stdout.write(`${JSON.stringify({ base, token })}\n`);
  process.stdin.once('data', async () => {
    await new Promise((r) => server.close(r));
    await pool.end();
    const spans = exporter.getFinishedSpans().map((s) => ({
      name: s.name,
      kind: s.kind,
      traceId: s.spanContext().traceId,
      spanId: s.spanContext().spanId,
      parentSpanId: s.parentSpanContext?.spanId,
      status: s.status.code,
      attributes: s.attributes,
      events: s.events,
    }));
    process.stdout.write(`${JSON.stringify(spans)}\n`);
    process.exit(0);
  });
};

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
