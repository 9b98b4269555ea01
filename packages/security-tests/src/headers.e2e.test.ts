// Hostile request headers on every endpoint of the policy tables, as a caller who may call it: the
// conditional and idempotency headers (If-Match, If-None-Match, Idempotency-Key), content negotiation
// (Accept, Content-Type, Prefer, _format-like values), forwarding headers and broken Authorization.
// Never a 5xx; every error in the interface's own format. FC_SEED replays a run; FC_RUNS sets the runs
// per endpoint (default 10).
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { ENDPOINTS, errorMediaType, issuer, type Platform, startPlatform } from './platform';
import { callerOf } from './world';

jest.setTimeout(300_000);
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const numRuns = Number(process.env.FC_RUNS ?? 10);
console.log(`fast-check seed ${seed} (replay with FC_SEED=${seed}), ${numRuns} runs per endpoint`);

/** Header values a client might send by mistake or on purpose (visible ASCII only: fetch refuses the rest). */
const ascii = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const etag = fc.oneof(
  fc.constantFrom('*', '"0"', '"-1"', 'W/"0"', 'W/"1"', '"1", "2"', '""', '"', '0', '"99999999999999999999"', '"1e3"'),
  fc.nat().map((n) => `"${n}"`),
  ascii,
);
const mediaType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/fhir+json',
    'application/fhir+xml',
    'application/xml',
    'text/csv',
    'text/html',
    '*/*',
    'application/*',
    'application/json; charset=utf-16',
    'application/json; charset="utf-8"',
    'application/json;charset=UTF8',
    'application/json; q=0',
    'application/fhir+json; fhirVersion=3.0',
    'application/fhir+json; fhirVersion=4.0',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    ';',
    '',
  ),
  ascii,
);
const headers = fc.record(
  {
    'if-match': etag,
    'if-none-match': etag,
    'idempotency-key': fc.oneof(fc.uuid(), ascii, fc.constant('x'.repeat(2_000))),
    accept: mediaType,
    'content-type': mediaType,
    prefer: fc.constantFrom(
      'return=minimal',
      'return=representation',
      'return=OperationOutcome',
      'handling=strict',
      'respond-async',
      'x',
    ),
    'x-forwarded-for': fc.oneof(fc.ipV4(), ascii),
    'accept-language': ascii,
    // mostly a valid token, so the other headers reach the handlers
    authorization: fc.oneof(
      { arbitrary: fc.constantFrom('valid', 'bearer valid-lowercase'), weight: 3 },
      {
        arbitrary: fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Bearer x.y.z',
          'Basic dXNlcjpwYXNz',
          'Bearer eyJhbGciOiJub25lIn0.e30.',
        ),
        weight: 1,
      },
    ),
  },
  { requiredKeys: ['authorization'] },
);

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform({ logLevel: 'warn' });
});
afterAll(async () => {
  await platform?.stop();
});

const endpoints = ENDPOINTS.filter((e) => e.key !== 'GET /access-decisions/stream');

const tally = new Map<string, number>();
afterAll(() => console.log(`answers: ${[...tally].map(([k, n]) => `${k} ×${n}`).join(', ')}`));

describe.each(endpoints.map((e, i) => [`${e.service} ${e.key}`, e, i] as const))('headers of %s', (_name, e, i) => {
  it('never 5xx, errors in the interface format', async () => {
    await fc.assert(
      fc.asyncProperty(headers, async (h) => {
        const sent: Record<string, string> = { ...h } as Record<string, string>;
        const token = await issuer.sign(callerOf(e.policy));
        if (h.authorization === 'valid') sent.authorization = `Bearer ${token}`;
        if (h.authorization === 'bearer valid-lowercase') sent.authorization = `bearer ${token}`;
        const url = `${platform.urls[e.service]}${e.path.replace(/:[A-Za-z]+/g, () => randomUUID())}`;
        const hasBody = ['POST', 'PUT', 'PATCH'].includes(e.method);
        const response = await fetch(url, { method: e.method, headers: sent, ...(hasBody ? { body: '{}' } : {}) });
        await response.arrayBuffer();
        const type = response.headers.get('content-type') ?? '';
        tally.set(String(response.status), (tally.get(String(response.status)) ?? 0) + 1);
        if (response.status >= 500)
          throw new Error(`${e.method} ${e.path} answered ${response.status} to ${JSON.stringify(h)}`);
        if (response.status >= 400 && response.status !== 406)
          expect(type).toMatch(errorMediaType(e.path, response.status));
      }),
      { seed: seed + i, numRuns },
    );
  });
});
