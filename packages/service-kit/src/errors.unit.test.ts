import request from 'supertest';
import { z } from 'zod';
import { problem } from './problem';
import { parseBody, parseParams, parseQuery } from './validate';
import { testApp } from './testing/fixtures';

class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
}

const Body = z.object({
  a: z.object({ b: z.array(z.object({ c: z.string() })) }),
  n: z.number().int(),
});

const setup = () =>
  testApp((router) => {
    router.post('/things', (req, res) => {
      const body = parseBody(Body, req);
      res.status(201).json(body);
    });
    router.get('/things', (req, res) => {
      res.json(parseQuery(z.object({ page: z.coerce.number().int().min(1) }), req));
    });
    router.get('/things/:id', (req, res) => {
      res.json(parseParams(z.object({ id: z.uuid() }), req));
    });
    router.get('/gone', () => {
      throw problem(410, 'Gone', 'It was here once', { type: 'https://wor.example/problems/gone', hint: 'x' });
    });
    router.post('/conflict', async () => {
      throw new ConcurrencyConflictError('Stream referral-1: expected version 1, actual 2');
    });
    router.get('/domain/:kind', (req) => {
      const error = new Error(`Referral r-1 is already ${req.params.kind}`);
      error.name = String(req.params.kind);
      throw error;
    });
    router.get('/boom', async () => {
      throw new Error('db password=hunter2 at host secret-db');
    });
    router.get('/sql', async () => {
      // What node-postgres throws: SQL, row values and internal names in its fields and stack.
      const error = Object.assign(new Error('duplicate key value violates unique constraint "referrals_pkey"'), {
        code: '23505',
        detail: 'Key (bsn)=(999990019) already exists.',
        schema: 'referral',
        table: 'referrals',
        constraint: 'referrals_pkey',
        query: 'INSERT INTO referral.referrals (id, bsn) VALUES ($1, $2)',
        status: 500,
      });
      error.stack = `error: ${error.message}\n    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:287:98)`;
      throw error;
    });
    router.get('/exposed', () => {
      throw Object.assign(new Error('SELECT secret FROM internal_table'), {
        status: 418,
        expose: true,
        type: 'unknown.type',
      });
    });
    router.get('/raw-zod', () => {
      z.object({ x: z.string() }).parse({});
    });
  });

const expectProblem = (res: request.Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
};

describe('problem+json error mapping', () => {
  it('valid body passes through parseBody', async () => {
    const t = setup();
    const body = { a: { b: [{ c: 'x' }] }, n: 1 };
    const res = await request(t.app)
      .post('/things')
      .set('Authorization', `Bearer ${await t.token()}`)
      .send(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(body);
  });

  it('422 lists every zod issue with a dotted path', async () => {
    const t = setup();
    const res = await request(t.app)
      .post('/things')
      .set('Authorization', `Bearer ${await t.token()}`)
      .send({ a: { b: [{ c: 1 }] }, n: 1.5 });
    expectProblem(res, 422);
    const paths = (res.body.errors as { path: string; message: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['a.b[0].c', 'n']);
    expect(res.body.errors[0].message).toEqual(expect.any(String));
  });

  it('422 for query and path parameters, and for a ZodError thrown directly', async () => {
    const t = setup();
    const auth = `Bearer ${await t.token()}`;
    const q = await request(t.app).get('/things?page=0').set('Authorization', auth);
    expectProblem(q, 422);
    expect(q.body.errors[0].path).toBe('page');
    const p = await request(t.app).get('/things/not-a-uuid').set('Authorization', auth);
    expectProblem(p, 422);
    expect(p.body.errors[0].path).toBe('id');
    const raw = await request(t.app).get('/raw-zod').set('Authorization', auth);
    expectProblem(raw, 422);
    expect(raw.body.errors[0].path).toBe('x');
  });

  it('400 for malformed JSON', async () => {
    const t = setup();
    const res = await request(t.app)
      .post('/things')
      .set('Authorization', `Bearer ${await t.token()}`)
      .set('Content-Type', 'application/json')
      .send('{"a": ');
    expectProblem(res, 400);
  });

  it('reads FHIR JSON (application/fhir+json) like JSON', async () => {
    const t = setup();
    const body = { a: { b: [{ c: 'x' }] }, n: 1 };
    const res = await request(t.app)
      .post('/things')
      .set('Authorization', `Bearer ${await t.token()}`)
      .set('Content-Type', 'application/fhir+json')
      .send(JSON.stringify(body));
    expect(res.status).toBe(201);
    expect(res.body).toEqual(body);
  });

  it('413 for a body over the limit', async () => {
    const t = setup();
    const res = await request(t.app)
      .post('/things')
      .set('Authorization', `Bearer ${await t.token()}`)
      .send({ big: 'x'.repeat(150 * 1024) });
    expectProblem(res, 413);
  });

  it('the body limit is configurable', async () => {
    const t = testApp((router) => router.post('/x', (req, res) => res.json({ ok: true })), { bodyLimit: '1kb' });
    const res = await request(t.app)
      .post('/x')
      .set('Authorization', `Bearer ${await t.token()}`)
      .send({ big: 'x'.repeat(2048) });
    expectProblem(res, 413);
  });

  it('404 for unknown routes', async () => {
    const t = setup();
    const res = await request(t.app)
      .get('/nope')
      .set('Authorization', `Bearer ${await t.token()}`);
    expectProblem(res, 404);
  });

  it('409 for a ConcurrencyConflictError (matched by name)', async () => {
    const t = setup();
    const res = await request(t.app)
      .post('/conflict')
      .set('Authorization', `Bearer ${await t.token()}`);
    expectProblem(res, 409);
    expect(JSON.stringify(res.body)).not.toContain('referral-1');
  });

  it.each([
    ['IllegalStateError', 409],
    ['NotFoundError', 404],
    ['ForbiddenError', 403],
    ['ValidationError', 422],
    ['StaleVersionError', 412],
  ])("a decider's %s becomes %i with its message as detail", async (name, status) => {
    const t = setup();
    const res = await request(t.app)
      .get(`/domain/${name}`)
      .set('Authorization', `Bearer ${await t.token()}`);
    expectProblem(res, status);
    expect(res.body.detail).toBe(`Referral r-1 is already ${name}`);
  });

  it('HttpProblem keeps its status, type and extension members', async () => {
    const t = setup();
    const res = await request(t.app)
      .get('/gone')
      .set('Authorization', `Bearer ${await t.token()}`);
    expectProblem(res, 410);
    expect(res.body).toEqual({
      type: 'https://wor.example/problems/gone',
      title: 'Gone',
      status: 410,
      detail: 'It was here once',
      hint: 'x',
    });
  });

  it('500 for a database error: no SQL, row values, table names or stack in the response', async () => {
    const t = setup();
    const res = await request(t.app)
      .get('/sql')
      .set('Authorization', `Bearer ${await t.token()}`);
    expectProblem(res, 500);
    expect(Object.keys(res.body).sort()).toEqual(['detail', 'errorId', 'instance', 'status', 'title', 'type']);
    const text = JSON.stringify(res.body) + JSON.stringify(res.headers);
    for (const leak of [
      '999990019',
      'INSERT',
      'referrals',
      'bsn',
      'pg-protocol',
      'parser.js',
      '23505',
      'duplicate key',
    ])
      expect(text).not.toContain(leak);
    // The log keeps what support needs, but not the row values in `detail` (safeErrorSerializer).
    const logged = t.lines().find((l) => l.errorId === res.body.errorId) as { err: Record<string, unknown> };
    expect(logged.err).toMatchObject({ type: 'Error', code: '23505' });
    expect(JSON.stringify(logged)).not.toContain('999990019');
  });

  it('a client error with an exposed message keeps only its status title', async () => {
    const t = setup();
    const res = await request(t.app)
      .get('/exposed')
      .set('Authorization', `Bearer ${await t.token()}`);
    expectProblem(res, 418);
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|internal_table/);
  });

  it('500 hides internals and logs them under an error id that is in the response', async () => {
    const t = setup();
    const res = await request(t.app)
      .get('/boom')
      .set('Authorization', `Bearer ${await t.token()}`);
    expectProblem(res, 500);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret-db');
    expect(text).not.toMatch(/at .*\.ts/);
    expect(res.body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.instance).toBe(`urn:uuid:${res.body.errorId}`);
    const logged = t.lines().find((l) => l.errorId === res.body.errorId);
    expect(logged).toMatchObject({ level: 50, err: { type: 'Error', message: expect.stringContaining('hunter2') } });
  });
});
