import request from 'supertest';
import { createMetrics } from './metrics';
import { testApp } from './testing/fixtures';

describe('health, readiness and metrics', () => {
  it('GET /health is 200 without a token', async () => {
    const t = testApp(() => {});
    const res = await request(t.app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document without a token, when the service has one', async () => {
    const openapi = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} };
    expect((await request(testApp(() => {}, { openapi }).app).get('/openapi.json')).body).toEqual(openapi);
    expect((await request(testApp(() => {}).app).get('/openapi.json')).status).toBe(401);
  });

  it('GET /ready is 200 when every check passes', async () => {
    const t = testApp(() => {}, { readiness: async () => ({ db: true, kafka: true }) });
    const res = await request(t.app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', failed: [] });
  });

  it('GET /ready is 503 naming the failed checks', async () => {
    const t = testApp(() => {}, { readiness: async () => ({ db: true, kafka: false, projections: false }) });
    const res = await request(t.app).get('/ready');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'not-ready', failed: ['kafka', 'projections'] });
  });

  it('GET /ready is 503 when the readiness function throws', async () => {
    const t = testApp(() => {}, {
      readiness: async () => {
        throw new Error('connection refused');
      },
    });
    const res = await request(t.app).get('/ready');
    expect(res.status).toBe(503);
    expect(res.body.failed).toEqual(['readiness']);
  });

  it('GET /metrics exposes default metrics and the request histogram by route pattern', async () => {
    const metrics = createMetrics();
    const t = testApp((router) => router.get('/things/:id', (_req, res) => res.json({})), { metrics });
    await request(t.app)
      .get('/things/ref-qzx-41?name=Jantje-Zeldzaam')
      .set('Authorization', `Bearer ${await t.token()}`)
      .expect(200);
    const res = await request(t.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/things\/:id",status="200"\} 1/,
    );
    expect(res.text).not.toContain('ref-qzx-41'); // ids and query values never become labels
    expect(res.text).not.toContain('Jantje-Zeldzaam');
  });

  it('unmatched routes share one label value', async () => {
    const t = testApp(() => {});
    await request(t.app)
      .get('/random/path/1')
      .set('Authorization', `Bearer ${await t.token()}`)
      .expect(404);
    const res = await request(t.app).get('/metrics');
    expect(res.text).toMatch(/route="unmatched",status="404"/);
    expect(res.text).not.toContain('/random/path');
  });
});
