// Property-based fuzzing of every POST, PUT and PATCH body and every GET's query parameters, the
// endpoints taken from the policy tables: never a 5xx, every error is problem+json (OperationOutcome
// under /fhir), and invalid input stores no event. FC_SEED replays a run; FC_RUNS sets the runs per endpoint (default 20).
import { parsePolicyKey, rolesOf, type EndpointPolicy, type Role } from '@wor/service-kit';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { call, errorMediaType, type Platform, SERVICES, type ServiceName, startPlatform } from './platform';
import { callerFor, ORG, referralBody, scores } from './world';

jest.setTimeout(120_000);

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const numRuns = Number(process.env.FC_RUNS ?? 20);
console.log(
  `fast-check seed ${seed} (+ the endpoint's index; replay with FC_SEED=${seed}), ${numRuns} runs per endpoint`,
);

/** The caller most likely to get past the policy into the handler's validation. */
const callerOf = (policy: EndpointPolicy) => {
  const roles = rolesOf(policy);
  const pick =
    (['privacy-officer', 'admin', 'key-user', 'coordinator', 'gp-system'] as Role[]).find((r) => roles.includes(r)) ??
    roles[0]!;
  return callerFor(pick, 'own');
};

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
const key = fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 12 }));
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.uuid(),
  fc.constantFrom('GM0001', '2026', '2026-Q1', '123456782', 'eenzaamheid', '', '-1', 'NaN'),
);
const body = fc.oneof(
  { arbitrary: fc.dictionary(key, value, { maxKeys: 6 }), weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  // Not JSON at all.
  { arbitrary: fc.string({ maxLength: 40 }).map((s) => ({ raw: `{${s}` })), weight: 1 },
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
  VALID[k] ? fc.oneof({ arbitrary: mutated(VALID[k]), weight: 2 }, { arbitrary: body, weight: 1 }) : body;

const query = fc.dictionary(
  key,
  fc.oneof(
    fc.string({ maxLength: 20 }),
    value.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
    fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  ),
  { maxKeys: 5 },
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

const endpoints = SERVICES.flatMap((s) =>
  (Object.entries(s.policies) as [string, EndpointPolicy][]).map(([k, policy]) => ({
    service: s.name as ServiceName,
    key: k,
    policy,
    ...parsePolicyKey(k),
  })),
);
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, () => randomUUID());

describe.each(
  endpoints
    .filter((e) => ['POST', 'PUT', 'PATCH'].includes(e.method))
    .map((e, i) => [`${e.service} ${e.key}`, e, i] as const),
)('body of %s', (_name, e, i) => {
  it('never 5xx, errors are problem+json, invalid input stores no event', async () => {
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(bodyFor(e.key), async (b) => {
        const before = await platform.eventCount(e.service);
        const raw =
          typeof b === 'object' &&
          b !== null &&
          !Array.isArray(b) &&
          'raw' in b &&
          typeof b.raw === 'string' &&
          Object.keys(b).length === 1
            ? b.raw
            : b;
        const r = await call(
          callerOf(e.policy),
          e.method,
          `${platform.urls[e.service]}${concrete(e.path)}`,
          typeof raw === 'string' ? raw : JSON.stringify(raw),
        );
        statuses.push(r.status);
        expect(r.status).toBeLessThan(500);
        if (r.status >= 400) expect(r.contentType).toMatch(errorMediaType(e.path));
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
    const e = endpoints.find((x) => x.key === k)!;
    const r = await call(callerOf(e.policy), e.method, `${platform.urls[e.service]}${concrete(e.path)}`, b);
    answers[k] = r.status;
  }
  expect(Object.entries(answers).filter(([, status]) => INVALID.includes(status))).toEqual([]);
});

// The access-decision stream stays open for a valid question; its query is fuzzed as the POST body twin.
const gets = endpoints.filter((e) => e.method === 'GET' && e.key !== 'GET /access-decisions/stream');
describe.each(gets.map((e, i) => [`${e.service} ${e.key}`, e, i] as const))('query of %s', (_name, e, i) => {
  it('never 5xx, errors are problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(q)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
        const r = await call(
          callerOf(e.policy),
          'GET',
          `${platform.urls[e.service]}${concrete(e.path)}?${params.toString()}`,
        );
        expect(r.status).toBeLessThan(500);
        if (r.status >= 400) expect(r.contentType).toMatch(errorMediaType(e.path));
      }),
      { seed: seed + i, numRuns },
    );
  });
});
