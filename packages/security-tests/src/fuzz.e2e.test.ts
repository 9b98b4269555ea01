// Property-based fuzzing of every POST, PUT and PATCH body and every GET's query parameters and path
// parameters, the endpoints taken from the policy tables: never a 5xx, every error is problem+json
// (OperationOutcome under /fhir), and invalid input stores no event. Strings cover the whole code-point range (NUL, every control
// character, lone surrogates, astral planes) and very long strings; bodies and query strings also
// come as raw bytes that are not UTF-8. FC_SEED replays a run; FC_RUNS sets the runs per endpoint
// (default 20).
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { call, ENDPOINTS, errorMediaType, type Platform, startPlatform } from './platform';
import { callerFor, callerOf, ORG, referralBody, scores } from './world';

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const numRuns = Number(process.env.FC_RUNS ?? 20);
// A long run (FC_RUNS=10000) takes minutes per endpoint: the timeout grows with the runs.
jest.setTimeout(Math.max(120_000, numRuns * 200));
console.log(
  `fast-check seed ${seed} (+ the endpoint's index; replay with FC_SEED=${seed}), ${numRuns} runs per endpoint`,
);

/** Field names the APIs know, so generated objects reach past "unknown key" now and then. */
const FIELDS = [
  'consentId',
  'patient',
  'bsn',
  'municipality',
  'practiceId',
  'recipientOrganisationId',
  'reasons',
  'urgencyNote',
  'reason',
  'feedbackMessage',
  'coachId',
  'reached',
  'heldOn',
  'positiveHealth',
  'goals',
  'serviceId',
  'outcome',
  'gasScores',
  'coachHours',
  'purposes',
  'dataCategories',
  'evidence',
  'agreementId',
  'parties',
  'subjectId',
  'organisationId',
  'partnerOrganisationId',
  'purpose',
  'dataCategory',
  'id',
  'name',
  'organization_id',
  'description',
  'capacity_status',
  'registeredPatients',
  'resourceType',
  'status',
  'format',
  'period',
  'year',
  'limit',
];
/** Any code point, lone surrogates (U+D800-U+DFFF) included, and the troublemakers often. */
const codePoint = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCodePoint(c)), weight: 2 },
  { arbitrary: fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFE', '\uFEFF'), weight: 1 },
);
const anyString = (maxLength: number) => fc.string({ unit: codePoint, maxLength });
/** Beyond every cap (10 000 characters in a body, 1 000 in a query): over-long input is a 4xx. */
const longString = fc
  .tuple(fc.integer({ min: 250, max: 30_000 }), fc.constantFrom('x', 'é', '👋', '\u0000', 'a@'))
  .map(([n, unit]) => unit.repeat(n));
/** A string a field might take, or one built to break it. */
const fuzzString = fc.oneof(
  { arbitrary: fc.string({ maxLength: 20 }), weight: 2 },
  { arbitrary: anyString(20), weight: 3 },
  { arbitrary: longString, weight: 1 },
  // A valid-looking value with one hostile character inside.
  {
    arbitrary: fc
      .tuple(fc.constantFrom('coach-anna', '123456782', 'GM0001', 'naam'), codePoint, fc.nat(10))
      .map(([base, c, at]) => base.slice(0, at) + c + base.slice(at)),
    weight: 2,
  },
);
/** Names every plain object inherits: a lookup by a caller's key must not find them. */
const INHERITED = ['__proto__', 'constructor', 'prototype', 'valueOf', 'toString', 'hasOwnProperty', 'toJSON'];
const key = fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom(...INHERITED), anyString(12));
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fuzzString,
  fc.uuid(),
  fc.constantFrom('GM0001', '2026', '2026-Q1', '123456782', '123456789', 'eenzaamheid', '', '-1', 'NaN'),
);

/** Byte sequences that are not UTF-8: stray continuation, overlong, surrogate (CESU-8), truncated, FF/FE. */
const BAD_UTF8: readonly number[][] = [
  [0xc3, 0x28],
  [0xff],
  [0xfe],
  [0x80],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
  [0xc3, 0x28, 0xff, 0xfe],
];
const badBytes = fc.oneof(
  fc.constantFrom(...BAD_UTF8),
  fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 6 }),
);
/** A JSON text with invalid UTF-8 spliced in at a random place (mostly inside a string). */
const withBadBytes = (json: fc.Arbitrary<unknown>) =>
  fc.tuple(json, badBytes, fc.nat()).map(([v, bytes, at]) => {
    const text = Buffer.from(JSON.stringify(v) ?? 'null');
    const quotes = [...text.keys()].filter((i) => text[i] === 0x22);
    const cut = quotes.length > 0 ? quotes[at % quotes.length]! + 1 : at % (text.length + 1);
    return { bytes: Buffer.concat([text.subarray(0, cut), Buffer.from(bytes), text.subarray(cut)]) };
  });
const body = fc.oneof(
  { arbitrary: fc.dictionary(key, value, { maxKeys: 6 }), weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  // Not JSON at all.
  { arbitrary: anyString(40).map((s) => ({ raw: `{${s}` })), weight: 1 },
  { arbitrary: withBadBytes(fc.dictionary(key, value, { maxKeys: 4 })), weight: 1 },
);
/** On the own municipality's map before the fuzzing starts, so a service body can refer to it. */
const MAP_ORGANIZATION = randomUUID();

/** Valid bodies of the richer endpoints: mutated one field at a time, they probe the deeper rules. */
const VALID: Record<string, Record<string, unknown>> = {
  'POST /referrals': referralBody(randomUUID(), {
    bsn: '123456782',
    given: 'Fuzz',
    family: 'Test',
    phone: '0600000000',
    email: 'fuzz@example.org',
    urgencyNote: 'fuzz',
  }),
  'POST /referrals/:referralId/intake': {
    heldOn: '2026-11-01',
    positiveHealth: scores(5),
    goals: [{ text: 'Doel', baseline: -1 }],
  },
  'POST /referrals/:referralId/complete': {
    outcome: 'goals-reached',
    positiveHealth: scores(6),
    gasScores: [{ goalId: randomUUID(), score: 1 }],
    coachHours: 3,
  },
  'POST /consents': {
    patient: { bsn: '123456782' },
    recipientOrganisationId: ORG.own.welfare,
    purposes: ['wor-referral'],
    dataCategories: ['contact-details'],
    evidence: { method: 'signed' },
  },
  'POST /access-decisions': {
    patient: { bsn: '123456782' },
    organisationId: ORG.own.practice,
    partnerOrganisationId: ORG.own.welfare,
    purpose: 'wor-referral',
    dataCategory: 'contact-details',
  },
  'POST /organizations': { id: randomUUID(), name: 'Fuzz', description: 'Fuzz organisation.' },
  'POST /services': { id: randomUUID(), organization_id: MAP_ORGANIZATION, name: 'Fuzz', description: 'Fuzz service.' },
  'PUT /practices/:practiceId/list-size': { municipality: ORG.own.municipality, registeredPatients: 10 },
};
const mutated = (base: Record<string, unknown>) =>
  fc
    .record({
      op: fc.constantFrom('delete', 'replace', 'add'),
      field: fc.constantFrom(...Object.keys(base)),
      extra: key,
      v: value,
    })
    .map(({ op, field, extra, v }) => {
      const copy: Record<string, unknown> = structuredClone(base);
      if (op === 'delete') delete copy[field];
      else if (op === 'replace') copy[field] = v;
      else copy[extra] = v;
      return copy;
    });
const bodyFor = (k: string) =>
  VALID[k]
    ? fc.oneof(
        { arbitrary: mutated(VALID[k]), weight: 2 },
        { arbitrary: withBadBytes(mutated(VALID[k])), weight: 1 },
        { arbitrary: body, weight: 1 },
      )
    : body;

/** What goes on the wire: raw text or bytes as they are, anything else as JSON. */
const wire = (b: unknown): string | Buffer => {
  if (typeof b === 'object' && b !== null && !Array.isArray(b) && Object.keys(b).length === 1) {
    if ('raw' in b && typeof b.raw === 'string') return b.raw;
    if ('bytes' in b && Buffer.isBuffer(b.bytes)) return b.bytes;
  }
  return JSON.stringify(b);
};

const query = fc.dictionary(
  key,
  fc.oneof(
    fuzzString,
    value.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
    fc.array(fuzzString, { maxLength: 3 }),
  ),
  { maxKeys: 5 },
);
const percentEncoded = (bytes: readonly number[]) => bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
/** A query string: encoded from strings (URLSearchParams turns a lone surrogate into U+FFFD), or raw bytes. */
const queryString = fc.oneof(
  {
    arbitrary: query.map((q) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
      return params.toString();
    }),
    weight: 3,
  },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...FIELDS), badBytes, fc.constantFrom([0x00], [0xed, 0xa0, 0x80], [0x41]))
      .map(([k, bad, more]) => `${k}=${percentEncoded([0x61, ...bad, ...more])}`),
    weight: 1,
  },
);
/** A path parameter: a uuid mostly, else any string or bytes, percent-encoded. */
const pathParam = fc.oneof(
  { arbitrary: fc.uuid(), weight: 3 },
  { arbitrary: fuzzString.map((v) => encodeURIComponent(v.replace(/[\uD800-\uDFFF]/gu, '')) || 'x'), weight: 1 },
  { arbitrary: badBytes.map(percentEncoded), weight: 1 },
);

const INVALID = [400, 413, 415, 422];

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform({ logLevel: 'warn' });
  const created = await call(callerFor('key-user', 'own'), 'POST', `${platform.urls['social-map']}/organizations`, {
    id: MAP_ORGANIZATION,
    name: 'Fuzz map',
    description: 'Fuzz.',
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await platform?.stop();
});

const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, () => randomUUID());

describe.each(
  ENDPOINTS.filter((e) => ['POST', 'PUT', 'PATCH'].includes(e.method)).map(
    (e, i) => [`${e.service} ${e.key}`, e, i] as const,
  ),
)('body of %s', (_name, e, i) => {
  it('never 5xx, errors are problem+json, invalid input stores no event', async () => {
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(bodyFor(e.key), async (b) => {
        const before = await platform.eventCount(e.service);
        const r = await call(callerOf(e.policy), e.method, `${platform.urls[e.service]}${concrete(e.path)}`, wire(b));
        statuses.push(r.status);
        expect(r.status).toBeLessThan(500);
        if (r.status >= 400) expect(r.contentType).toMatch(errorMediaType(e.path, r.status));
        if (INVALID.includes(r.status)) expect(await platform.eventCount(e.service)).toBe(before);
      }),
      { seed: seed + i, numRuns },
    );
    // The fuzzer reached the handler's validation, not only the policy.
    expect(statuses.some((s) => s !== 401 && s !== 403)).toBe(true);
    if (process.env.FC_VERBOSE) console.log(e.key, statuses.join(' '));
  });
});

it('the bodies mutated above are valid as they are (so one mutation is one step off valid)', async () => {
  const answers: Record<string, number> = {};
  for (const [k, b] of Object.entries(VALID)) {
    const e = ENDPOINTS.find((x) => x.key === k)!;
    const r = await call(callerOf(e.policy), e.method, `${platform.urls[e.service]}${concrete(e.path)}`, b);
    answers[k] = r.status;
  }
  expect(Object.entries(answers).filter(([, status]) => INVALID.includes(status))).toEqual([]);
});

it('a body nested 10,000 deep is 400 on every body endpoint and stores nothing (no walk after the parse overflows its stack)', async () => {
  const DEPTH = 10_000;
  const bodies = ['['.repeat(DEPTH) + ']'.repeat(DEPTH), '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH)];
  const answers: string[] = [];
  for (const e of ENDPOINTS.filter((x) => ['POST', 'PUT', 'PATCH'].includes(x.method)))
    for (const raw of bodies) {
      const before = await platform.eventCount(e.service);
      const r = await call(callerOf(e.policy), e.method, `${platform.urls[e.service]}${concrete(e.path)}`, raw);
      if (r.status !== 400 || !errorMediaType(e.path, r.status).test(r.contentType))
        answers.push(`${e.key}: ${r.status}`);
      expect(await platform.eventCount(e.service)).toBe(before);
    }
  expect(answers).toEqual([]);
});

// The access-decision stream stays open for a valid question; its query is fuzzed as the POST body twin.
const gets = ENDPOINTS.filter((e) => e.method === 'GET' && e.key !== 'GET /access-decisions/stream');
describe.each(gets.map((e, i) => [`${e.service} ${e.key}`, e, i] as const))('query of %s', (_name, e, i) => {
  it('never 5xx, errors are problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(queryString, fc.array(pathParam, { minLength: 3, maxLength: 3 }), async (q, params) => {
        let n = 0;
        const path = e.path.replace(/:[A-Za-z]+/g, () => params[n++]!);
        const r = await call(callerOf(e.policy), 'GET', `${platform.urls[e.service]}${path}?${q}`);
        expect(r.status).toBeLessThan(500);
        if (r.status >= 400) expect(r.contentType).toMatch(errorMediaType(e.path, r.status));
      }),
      { seed: seed + i, numRuns },
    );
  });
});
