import request from 'supertest';
import { jsonDepth, MAX_JSON_DEPTH, unsafeStringReason, unsafeStrings, verifyJsonBody } from './input-guard';
import { testApp } from './testing/fixtures';

const echo = () =>
  testApp((router) => {
    router.post('/things', (req, res) => void res.status(201).json(req.body));
    router.get('/things', (req, res) => void res.json(req.query));
    router.post('/referrals/:referralId/coach', (req, res) => void res.json(req.params));
    router.get('/sql', async () => {
      // What node-postgres throws for a NUL in text: a data exception of class 22.
      throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
        code: '22021',
        severity: 'ERROR',
      });
    });
  });

const post = async (t: ReturnType<typeof echo>, body: string | Buffer, contentType = 'application/json') =>
  request(t.app)
    .post('/things')
    .set('Authorization', `Bearer ${await t.token()}`)
    .set('Content-Type', contentType)
    // As the bytes are: superagent would serialise a Buffer as JSON.
    .serialize((b: unknown) => b as string)
    .send(body as string);

describe('strings that may reach SQL', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['a C0 control', 'a\u0007b'],
    ['DEL', 'a\u007Fb'],
    ['a C1 control', 'a\u0085b'],
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone low surrogate', '\uDC00'],
  ])('refuses %s', (_name, value) => {
    expect(unsafeStringReason(value, 100)).toBeDefined();
  });

  it.each([
    ['tab, newline and carriage return', 'regel 1\r\n\tregel 2'],
    ['a surrogate pair (emoji)', 'groet 👋'],
    ['letters of any script', 'Zoë Ĳsselmeer 東京'],
  ])('allows %s', (_name, value) => {
    expect(unsafeStringReason(value, 100)).toBeUndefined();
  });

  it('caps the length', () => {
    expect(unsafeStringReason('x'.repeat(101), 100)).toMatch(/at most 100/);
  });

  it('names every unsafe value and key by its path', () => {
    expect(unsafeStrings({ a: [{ b: 'x\u0000' }], ['k\u0000']: 1, ok: 'fine' }, 100)).toEqual([
      { path: 'a[0].b', message: expect.stringMatching(/NUL/) },
      { path: 'k\u0000', message: expect.stringMatching(/field name/) },
    ]);
  });
});

describe('the input guard on every route', () => {
  it('answers 422 problem+json naming the body field with a NUL', async () => {
    const t = echo();
    const res = await post(t, JSON.stringify({ patient: { name: 'coach-\u0000anna' } }));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([{ path: 'patient.name', message: expect.stringMatching(/NUL/) }]);
  });

  it('answers 422 for a lone surrogate escaped in JSON', async () => {
    const res = await post(echo(), '{"name":"a\\ud800b"}');
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('name');
  });

  it('answers 422 for a string beyond the default cap', async () => {
    const res = await post(echo(), JSON.stringify({ note: 'x'.repeat(10_001) }));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toEqual({ path: 'note', message: 'must be at most 10000 characters' });
  });

  it('applies a wider limit only to the route that names one', async () => {
    const t = testApp(
      (router) => {
        router.post('/imports/:kind', (req, res) => void res.status(201).json({ n: req.body.csv.length }));
        router.post('/things', (req, res) => void res.status(201).json(req.body));
      },
      { inputLimitsByRoute: { 'POST /imports/:kind': { bodyString: 50_000 } } },
    );
    const send = async (path: string) =>
      request(t.app)
        .post(path)
        .set('Authorization', `Bearer ${await t.token()}`)
        .send({ csv: 'a,b\r\n'.repeat(5_000) });
    expect((await send('/imports/tabular')).status).toBe(201);
    expect((await send('/things')).status).toBe(422);
  });

  it('lets free text with tab and newline through', async () => {
    const res = await post(echo(), JSON.stringify({ note: 'a\tb\nc' }));
    expect(res.status).toBe(201);
  });

  it('answers 422 naming a query value with a NUL', async () => {
    const t = echo();
    const res = await request(t.app)
      .get('/things?userId=%00a')
      .set('Authorization', `Bearer ${await t.token()}`);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ detail: 'The query parameters are invalid.', errors: [{ path: 'userId' }] });
  });

  it('answers 422 naming the path parameter with a NUL or a lone surrogate', async () => {
    const t = echo();
    for (const segment of ['coach-%00anna', '%ED%A0%80', '%E0%A4%A']) {
      const res = await request(t.app)
        .post(`/referrals/${segment}/coach`)
        .set('Authorization', `Bearer ${await t.token()}`);
      expect(res.status).toBe(422);
      expect(res.body.errors[0].path).toBe('referralId');
    }
  });

  it('answers 400 for a body that is not UTF-8, instead of storing U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]);
    const res = await post(echo(), bytes);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/UTF-8/);
  });

  it.each(['latin1', 'utf-16', 'iso-8859-1'])('answers 415 for charset=%s', async (charset) => {
    const res = await post(echo(), '{"name":"x"}', `application/json; charset=${charset}`);
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('accepts charset=utf-8 in any case', async () => {
    expect((await post(echo(), '{"name":"x"}', 'application/json; charset=UTF-8')).status).toBe(201);
  });

  it('answers 401 for a token whose sub holds a NUL', async () => {
    const t = echo();
    const token = await t.issuer.sign({ sub: 'user-\u0000x', roles: ['coach'], org: 'org-1' });
    const res = await request(t.app).get('/things').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/sub claim/);
  });

  it('maps a PostgreSQL data exception (class 22) to 422, never 500', async () => {
    const t = echo();
    const res = await request(t.app)
      .get('/sql')
      .set('Authorization', `Bearer ${await t.token()}`);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).not.toContain('0x00');
  });
});

describe('how deeply a body nests', () => {
  it('counts arrays and objects, not brackets inside strings or after an escaped quote', () => {
    expect(jsonDepth(Buffer.from('1'))).toBe(0);
    expect(jsonDepth(Buffer.from('{"a":[1,{"b":[]}],"c":{}}'))).toBe(4);
    expect(jsonDepth(Buffer.from('{"a":"[[[{{{","b":"\\"[[["}'))).toBe(1);
    expect(jsonDepth(Buffer.from('["\\\\",[]]'))).toBe(2);
  });

  it(`refuses a body nested deeper than ${MAX_JSON_DEPTH} levels with 400, before it is parsed`, () => {
    const nested = (depth: number) => Buffer.from('['.repeat(depth) + ']'.repeat(depth));
    expect(() => verifyJsonBody(undefined, undefined, nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => verifyJsonBody(undefined, undefined, nested(MAX_JSON_DEPTH + 1))).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
