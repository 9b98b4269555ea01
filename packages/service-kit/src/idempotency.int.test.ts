import { randomUUID } from 'node:crypto';
import { freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import request from 'supertest';
import { idempotency, idempotencyKeyOf, migrateIdempotency } from './idempotency';
import { HttpProblem } from './problem';
import { testApp, type TestApp } from './testing/fixtures';

describe('Idempotency-Key (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;
  let t: TestApp;
  let created: string[];
  let failNext: number;

  beforeEach(async () => {
    ({ pool, close } = await freshSchemaPool('idem'));
    await migrateIdempotency(pool);
    created = [];
    failNext = 0;
    t = testApp((router) => {
      router.use(idempotency(pool));
      router.post('/things', async (req, res) => {
        if (failNext > 0) {
          failNext -= 1;
          throw new Error('database hiccup');
        }
        if (req.body?.bad) throw new HttpProblem({ status: 422, detail: 'bad thing' });
        if (req.body?.forbiddenUntil && Date.now() < req.body.forbiddenUntil)
          throw new HttpProblem({ status: 403, detail: 'not yet' });
        await new Promise((r) => setTimeout(r, Number(req.body?.delayMs ?? 0)));
        const id = randomUUID();
        created.push(id);
        res
          .status(201)
          .location(`/things/${id}`)
          .setHeader('ETag', '"0"')
          .json({ id, key: idempotencyKeyOf(res) ?? null });
      });
    });
  });

  afterEach(() => close());

  const post = async (body: object, key?: string, roles?: string[]) => {
    const req = request(t.app)
      .post('/things')
      .set('Authorization', `Bearer ${await t.token(roles)}`);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };

  it('a retry with the same key returns the first response and does nothing again', async () => {
    const first = await post({ n: 1 }, 'key-1');
    const retry = await post({ n: 1 }, 'key-1');
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers.etag).toBe('"0"');
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(created).toHaveLength(1);
  });

  it('without a key, every POST is a new request', async () => {
    await post({ n: 1 });
    await post({ n: 1 });
    expect(created).toHaveLength(2);
  });

  it('keys belong to their caller', async () => {
    await post({ n: 1 }, 'shared');
    const other = await request(t.app)
      .post('/things')
      .set('Authorization', `Bearer ${await t.issuer.sign({ sub: 'user-2', roles: ['coach'] })}`)
      .set('Idempotency-Key', 'shared')
      .send({ n: 1 });
    expect(other.status).toBe(201);
    expect(created).toHaveLength(2);
  });

  it('the same key for a different request is refused', async () => {
    await post({ n: 1 }, 'key-2');
    const res = await post({ n: 2 }, 'key-2');
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.detail).toMatch(/different request/);
    expect(created).toHaveLength(1);
  });

  it('a concurrent duplicate is told to retry while the first is in flight', async () => {
    const [a, b] = await Promise.all([
      post({ delayMs: 300 }, 'key-3'),
      new Promise((r) => setTimeout(r, 50)).then(() => post({ delayMs: 300 }, 'key-3')),
    ]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(409);
    expect(b.headers['retry-after']).toBe('1');
    expect(created).toHaveLength(1);
    expect((await post({ delayMs: 300 }, 'key-3')).body).toEqual(a.body);
  });

  it('a client error is an answer too: the retry gets the same problem', async () => {
    const first = await post({ bad: true }, 'key-4');
    const retry = await post({ bad: true }, 'key-4');
    expect(first.status).toBe(422);
    expect(retry.status).toBe(422);
    expect(retry.body).toEqual(first.body);
  });

  it('a refusal that depends on state is not kept: the retry runs again once the state changed', async () => {
    const forbiddenUntil = Date.now() + 300;
    expect((await post({ forbiddenUntil }, 'key-6')).status).toBe(403);
    await new Promise((r) => setTimeout(r, 350));
    const retry = await post({ forbiddenUntil }, 'key-6');
    expect(retry.status).toBe(201);
    expect(created).toHaveLength(1);
  });

  it('a server error is not: the retry runs again', async () => {
    failNext = 1;
    expect((await post({ n: 5 }, 'key-5')).status).toBe(500);
    const retry = await post({ n: 5 }, 'key-5');
    expect(retry.status).toBe(201);
    expect(created).toHaveLength(1);
  });

  it('a malformed key is a 400', async () => {
    expect((await post({ n: 1 }, 'x'.repeat(300))).status).toBe(400);
  });
});
