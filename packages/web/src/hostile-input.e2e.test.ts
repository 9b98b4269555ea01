// Hostile input to every route of the web app, as every demo user, against the running system: fuzzed
// query strings and form bodies (field names taken from the pages' own forms, names every object
// inherits, any code point, percent-encoding that decodes to nothing), over-long and unreadable bodies,
// a foreign or malformed Origin, a malformed session cookie. Never a 5xx; every answer is a page or a
// redirect. The routes come from the app itself, so a new page is fuzzed without a change here.
// FC_SEED replays a run; FC_RUNS sets the runs per route and user (default 4).
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { createWebApp, SESSION_COOKIE } from './app';
import { DEMO_USERS } from './identity';
import { STEPS } from './pages/work';
import { startTestSystem, type TestSystem } from './testing/platform';

jest.setTimeout(600_000);
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const numRuns = Number(process.env.FC_RUNS ?? 4);
console.log(`fast-check seed ${seed} (replay with FC_SEED=${seed}), ${numRuns} runs per route and user`);

type Route = { method: 'GET' | 'POST'; path: string };
type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** The app's own routes (Express 5's router stack, mounted routers included). */
const routesOf = (stack: Layer[]): Route[] =>
  stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map((m) => ({
          method: m.toUpperCase() as Route['method'],
          path: layer.route!.path,
        }))
      : layer.handle?.stack
        ? routesOf(layer.handle.stack)
        : [],
  );
const ROUTES = routesOf(
  (
    createWebApp({
      urls: { referral: 'http://x', consent: 'http://x', 'social-map': 'http://x', reporting: 'http://x' },
    }).router as unknown as { stack: Layer[] }
  ).stack,
).filter((r) => !['/health', '/aanmelden', '/afmelden'].includes(r.path));

const INHERITED = ['__proto__', 'constructor', 'prototype', 'valueOf', 'toString', 'hasOwnProperty'];
const codePoint = fc.oneof(
  fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  fc.constantFrom('\u0000', '\uD800', '\uFFFE', '%', '&', '=', '+', '<', '"'),
);
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: codePoint, maxLength: 12 }),
  fc.constantFrom('', '-1', '0', 'NaN', '1e999', '2026-13-45', '999999999', 'GM0001', '123456782', 'ja', 'aan'),
  fc.uuid(),
  fc.integer({ min: 250, max: 2_000 }).map((n) => 'x'.repeat(n)),
);
/** Every byte percent-encoded (a lone surrogate becomes U+FFFD's bytes, as a browser sends it). */
const encoded = (s: string) => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
/** Percent-encoding that is not UTF-8 or not percent-encoding at all. */
const brokenEncoding = fc.constantFrom('%', '%E0%A4%A', '%FF%FE', '%C0%AF', '%ED%A0%80', '%zz', '%00');

describe('the web app under hostile input', () => {
  let system: TestSystem;
  const cookies = new Map<string, string>();
  const fields = new Set<string>(INHERITED);
  const ids = new Set<string>([randomUUID()]);
  const steps = new Set<string>(STEPS);
  const tally = new Map<string, number>();

  const send = async (
    method: string,
    path: string,
    init: { user?: string; body?: string | Buffer; type?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.user) headers.cookie = `${SESSION_COOKIE}=${cookies.get(init.user)}`;
    if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/x-www-form-urlencoded';
    const response = await fetch(`${system.web.url}${path}`, { method, headers, body: init.body, redirect: 'manual' });
    const body = await response.text();
    const key = `${method} ${response.status}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
    return { status: response.status, type: response.headers.get('content-type') ?? '', body };
  };
  const expectAnswered = (r: { status: number; type: string; body: string }, what: string) => {
    if (r.status >= 500) throw new Error(`${what} answered ${r.status}: ${r.body.slice(0, 300)}`);
    if (r.status < 300 || r.status >= 400)
      expect(r.type).toMatch(/^text\/(html|css|csv|javascript|yaml)|^application\/(json|javascript|yaml)/);
  };

  beforeAll(async () => {
    system = await startTestSystem();
    for (const user of DEMO_USERS) {
      const r = await fetch(`${system.web.url}/aanmelden`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `user=${user.id}`,
        redirect: 'manual',
      });
      const cookie = (r.headers.get('set-cookie') ?? '').match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))?.[1];
      if (!cookie) throw new Error(`no session for ${user.id}`);
      cookies.set(user.id, cookie);
    }
    // What the pages themselves offer: their forms' field names, the ids in their links, the steps.
    const harvest = async (user: string, path: string) => {
      const { body } = await send('GET', path, { user });
      for (const [, name] of body.matchAll(/name="([^"]+)"/g)) fields.add(name!);
      for (const [id] of body.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)) ids.add(id);
    };
    const gets = ROUTES.filter((x) => x.method === 'GET' && !x.path.includes('*'));
    for (const user of DEMO_USERS)
      for (const r of gets.filter((x) => !x.path.includes(':'))) await harvest(user.id, r.path);
    const found = [...ids].slice(1, 12);
    for (const user of DEMO_USERS)
      for (const r of gets.filter((x) => x.path.includes(':')))
        for (const id of found) await harvest(user.id, r.path.replace(/:[a-zA-Z]+/g, id));
  });
  afterAll(async () => {
    console.log(
      `answers: ${[...tally].map(([k, n]) => `${k} ×${n}`).join(', ')}; ${fields.size} field names, ${ids.size} ids`,
    );
    await system?.stop();
  });

  const concrete = (path: string) =>
    fc
      .record({
        id: fc.oneof(fc.constantFrom(...ids), fc.uuid(), text),
        step: fc.oneof(fc.constantFrom(...steps, 'x'), text),
      })
      .map(({ id, step }) =>
        path
          .replace(':step', encoded(step))
          .replace(/:[a-zA-Z]+/g, encoded(id))
          .replace('{*rest}', encoded(step)),
      );
  const form = fc.oneof(
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...fields), text), fc.oneof(text, fc.constantFrom(...ids))), {
        maxLength: 8,
      })
      .map((pairs) => new URLSearchParams(pairs).toString()),
    fc.tuple(fc.constantFrom(...fields), brokenEncoding).map(([k, v]) => `${k}=${v}`),
  );

  it.each(DEMO_USERS.map((u) => [u.id]))(
    'as %s, fuzzed queries and forms on every route: never a 5xx',
    async (user) => {
      for (const [i, route] of ROUTES.entries())
        await fc.assert(
          fc.asyncProperty(concrete(route.path), form, async (path, query) => {
            const r =
              route.method === 'GET'
                ? await send('GET', `${path}?${query}`, { user })
                : await send('POST', path, { user, body: query });
            expectAnswered(r, `${route.method} ${path}`);
          }),
          { seed: seed + i, numRuns },
        );
    },
  );

  it('a search filter value named like an inherited member is no filter (the map answers, no error box)', async () => {
    for (const query of ['dimensie=constructor', 'plaats=toString', 'dimensie=__proto__&plaats=valueOf']) {
      const r = await send('GET', `/sociale-kaart?${query}`, { user: 'coach-anna' });
      expect([query, r.status, r.body.includes('class="message error"')]).toEqual([query, 200, false]);
    }
  });

  it('unreadable bodies, a foreign or malformed Origin, a malformed cookie and an over-long URL are refused with a page, not a 5xx', async () => {
    const user = 'coach-anna';
    const posts = ROUTES.filter((r) => r.method === 'POST').map((r) => r.path.replace(/:[a-zA-Z]+/g, [...ids][0]!));
    for (const path of ['/aanmelden', ...posts]) {
      const tooLarge = await send('POST', path, { user, body: `a=${'x'.repeat(200_000)}` });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.type).toMatch(/^text\/html/);
      const charset = await send('POST', path, {
        user,
        body: 'a=b',
        type: 'application/x-www-form-urlencoded; charset=klingon',
      });
      expect(charset.status).toBe(415);
      for (const origin of ['garbage', 'http://', 'https://elders.example'])
        expect((await send('POST', path, { user, body: 'a=b', headers: { origin } })).status).toBe(403);
      expectAnswered(await send('POST', path, { body: 'a=b', headers: { cookie: `${SESSION_COOKIE}=%` } }), path);
    }
    expectAnswered(await send('GET', '/werkvoorraad', { headers: { cookie: `${SESSION_COOKIE}=%E0%A4%A` } }), 'cookie');
    // Refused by Node's HTTP parser before the app sees it: still a page.
    const longUrl = await send('GET', `/werkvoorraad?q=${'x'.repeat(20_000)}`, { user });
    expect([longUrl.status, longUrl.type]).toEqual([431, 'text/html; charset=utf-8']);
    expect(longUrl.body).toContain('te lang');
  });
});
