import { randomUUID } from 'node:crypto';
import { bsnSequence } from '@wor/test-support';
import bundleExample from './examples/transaction-bundle.json';
import taskExample from './examples/task.json';
import { SYSTEMS } from './mapping';
import { REFERRAL_FHIR_ROUTES } from './routes';
import { coordinator, gp, otherCoordinator, otherGp, type ReferralServiceUnderTest } from '../testing/harness';
import { FHIR_BASE, pathOf, referByTwoCalls, serviceRequestFor, startFhirReferralService } from './testing/fixtures';

const PERSONAL = ['Voorbeeld', 'Jet', '1955-04-12', '12345678', 'jet.voorbeeld@example.org', 'weduwe'];
const bsn = bsnSequence(100_000_000);

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
/** The FHIRPaths an OperationOutcome names. */
const expressions = (body: Record<string, unknown>): string[] =>
  (body.issue as { expression?: string[] }[]).flatMap((i) => i.expression ?? []);
const bundleFor = (sr: unknown) => {
  const bundle = clone(bundleExample);
  (bundle.entry[0] as { resource: unknown }).resource = sr;
  return bundle;
};

describe('FHIR R4 referral API at /fhir (whole referral service, real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    svc = await startFhirReferralService();
  });
  afterAll(() => svc.stop());

  const newServiceRequest = async (patient = bsn()) => serviceRequestFor(patient, await svc.consentFor(patient));
  /** A referral by two creates, as a GP system makes it: the ServiceRequest, then its Task. */
  const newReferral = async (serviceRequest?: ReturnType<typeof serviceRequestFor>): Promise<string> =>
    (await referByTwoCalls(svc, gp, serviceRequest ?? (await newServiceRequest()))).id;

  it('creates one referral by separate calls: ServiceRequest (201), then its Task (201)', async () => {
    const before = await svc.referralCount();
    const sr = await svc.http(gp, 'POST', '/fhir/ServiceRequest', await newServiceRequest());
    expect(sr.status).toBe(201);
    expect(sr.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const id = sr.body.id as string;
    expect(sr.headers.get('location')).toMatch(new RegExp(`^${FHIR_BASE}/ServiceRequest/${id}/_history/0$`));
    expect(sr.headers.get('etag')).toBe('W/"0"');
    expect(sr.body).toMatchObject({
      resourceType: 'ServiceRequest',
      status: 'active',
      meta: { versionId: '0' },
      performer: [{ identifier: { value: 'welzijn-beterstad' } }],
    });

    const task = await svc.http(gp, 'POST', '/fhir/Task', {
      ...clone(taskExample),
      focus: { reference: `ServiceRequest/${id}` },
    });
    expect(task.status).toBe(201);
    expect(task.headers.get('location')).toMatch(new RegExp(`^${FHIR_BASE}/Task/${id}/_history/1$`));
    // Every answered location resolves (vread).
    for (const location of [sr.headers.get('location')!, task.headers.get('location')!])
      expect((await svc.http(gp, 'GET', pathOf(location))).status).toBe(200);
    expect(task.body).toMatchObject({
      resourceType: 'Task',
      id,
      status: 'requested',
      intent: 'order',
      focus: { reference: `ServiceRequest/${id}` },
    });
    expect(await svc.referralCount()).toBe(before + 1);

    // The recipient reads both; neither carries personal data.
    const readTask = await svc.http(coordinator, 'GET', `/fhir/Task/${id}`);
    const readSr = await svc.http(coordinator, 'GET', `/fhir/ServiceRequest/${id}`);
    expect(readTask.body).toEqual(task.body);
    // The ServiceRequest is the one created, at the version of its Task.
    expect({ ...readSr.body, meta: undefined }).toEqual({ ...sr.body, meta: undefined });
    expect(readTask.headers.get('etag')).toBe('W/"1"');
    for (const text of [sr.text, task.text, readTask.text, readSr.text])
      for (const personal of PERSONAL) expect(text).not.toContain(personal);
    expect(readSr.body.subject).toEqual({
      type: 'Patient',
      identifier: { system: SYSTEMS.subject, value: expect.stringMatching(/^sub_[0-9a-f]{32}$/) },
    });
    // Nobody else sees that it exists.
    expect((await svc.http(otherCoordinator, 'GET', `/fhir/Task/${id}`)).status).toBe(404);
  });

  it('refuses a Task for a ServiceRequest that is not there (or disagrees with it), storing nothing', async () => {
    const events = await svc.eventCount();
    const missing = await svc.http(gp, 'POST', '/fhir/Task', {
      ...clone(taskExample),
      focus: { reference: `ServiceRequest/${randomUUID()}` },
    });
    expect(missing.status).toBe(422);
    expect(missing.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(missing.body).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(expressions(missing.body)).toEqual(['Task.focus']);
    const sr = await svc.http(gp, 'POST', '/fhir/ServiceRequest', await newServiceRequest());
    const wrongOwner = clone(taskExample) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    wrongOwner.focus = { reference: `ServiceRequest/${sr.body.id}` };
    wrongOwner.owner.identifier.value = 'welzijn-elders';
    const disagreeing = await svc.http(gp, 'POST', '/fhir/Task', wrongOwner);
    expect(disagreeing.status).toBe(422);
    expect(expressions(disagreeing.body)).toEqual(['Task.owner.identifier.value']);
    expect(await svc.eventCount()).toBe(events + 2); // the ServiceRequest's ReferralOrdered and its access-log entry only
  });

  it('creates one referral from a transaction Bundle, answering with a transaction-response', async () => {
    const before = await svc.referralCount();
    const res = await svc.http(gp, 'POST', '/fhir', bundleFor(await newServiceRequest()));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
    const [srEntry, taskEntry] = res.body.entry as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const id = srEntry!.resource.id as string;
    expect(srEntry!.response).toEqual({
      status: '201 Created',
      location: `ServiceRequest/${id}/_history/0`,
      etag: 'W/"0"',
      lastModified: '2026-11-23T10:00:00.000Z',
    });
    expect(taskEntry!.response).toMatchObject({ status: '201 Created', location: `Task/${id}/_history/0` });
    expect(taskEntry!.resource).toMatchObject({
      resourceType: 'Task',
      id,
      status: 'requested',
      focus: { reference: `ServiceRequest/${id}` },
    });
    expect(await svc.referralCount()).toBe(before + 1);
    expect((await svc.http(gp, 'GET', `/fhir/Task/${id}`)).body).toEqual(taskEntry!.resource);
  });

  it('replays a retried create under the same Idempotency-Key: still one referral', async () => {
    for (const [path, body] of [
      ['/fhir', bundleFor(await newServiceRequest())],
      ['/fhir/ServiceRequest', await newServiceRequest()],
    ] as const) {
      const before = await svc.referralCount();
      const key = randomUUID();
      const first = await svc.http(gp, 'POST', path, body, { 'Idempotency-Key': key });
      const retry = await svc.http(gp, 'POST', path, body, { 'Idempotency-Key': key });
      expect(retry.status).toBe(first.status);
      expect(retry.body).toEqual(first.body);
      expect(await svc.referralCount()).toBe(before + 1);
    }
  });

  it('answers bad input with 422 OperationOutcome naming FHIRPaths, and stores nothing', async () => {
    const events = await svc.eventCount();
    const bad = await newServiceRequest();
    bad.reasonCode[1]!.coding[0]!.code = 'verveling';
    bad.contained[0]!.identifier[0]!.value = '12';
    const res = await svc.http(gp, 'POST', '/fhir/ServiceRequest', bad);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(res.body.issue[0]).toMatchObject({ severity: 'error', code: 'invalid' });
    expect(expressions(res.body).sort()).toEqual([
      'ServiceRequest.contained[0].identifier[0].value',
      'ServiceRequest.reasonCode[1].coding[0].code',
    ]);
    expect(res.text).not.toContain('verveling');

    // A rule of the submission itself (birth date in the future) is named by its FHIR path too.
    const future = await newServiceRequest();
    future.contained[0]!.birthDate = '2030-01-01';
    const inFuture = await svc.http(gp, 'POST', '/fhir/ServiceRequest', future);
    expect(inFuture.status).toBe(422);
    expect(inFuture.body.issue).toEqual([
      {
        severity: 'error',
        code: 'invalid',
        diagnostics: 'lies in the future',
        expression: ['ServiceRequest.contained[0].birthDate'],
      },
    ]);

    // In a Bundle, a bad Task keeps the good ServiceRequest from being stored.
    const bundle = bundleFor(await newServiceRequest());
    (bundle.entry[1]!.resource as { focus: unknown }).focus = {
      reference: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    };
    const badBundle = await svc.http(gp, 'POST', '/fhir', bundle);
    expect(badBundle.status).toBe(422);
    expect(expressions(badBundle.body)).toEqual(['Bundle.entry[1].resource.focus']);
    expect(await svc.eventCount()).toBe(events);
  });

  it("refuses (403) a referral without the patient's consent, and one on behalf of another practice", async () => {
    const before = await svc.referralCount();
    const unconsented = serviceRequestFor(bsn(), randomUUID());
    expect((await svc.http(gp, 'POST', '/fhir/ServiceRequest', unconsented)).status).toBe(403);
    expect((await svc.http(otherGp, 'POST', '/fhir/ServiceRequest', await newServiceRequest())).status).toBe(403);
    expect(await svc.referralCount()).toBe(before);
  });

  describe('searching Tasks', () => {
    const ids: string[] = [];
    let elsewhere: string;
    beforeAll(async () => {
      // Three referrals of the practice on 24, 25 and 26 Nov (Amsterdam), one to another welfare organisation.
      for (const day of ['2026-11-24T08:00:00.000Z', '2026-11-25T22:30:00.000Z', '2026-11-26T09:00:00.000Z']) {
        svc.clock.now = new Date(day);
        ids.push(await newReferral());
      }
      svc.clock.now = new Date('2026-11-26T10:00:00.000Z');
      const patient = bsn();
      const toElsewhere = serviceRequestFor(
        patient,
        await svc.consentFor(patient, { recipient: 'welzijn-elders' }),
        (sr) => {
          sr.performer[0]!.identifier.value = 'welzijn-elders';
        },
      );
      elsewhere = await newReferral(toElsewhere);
      // The welfare organisation accepts the second, through the REST API.
      const accepted = await svc.http(
        coordinator,
        'POST',
        `/referrals/${ids[1]}/accept`,
        { feedbackMessage: 'Welkom, coach Anna belt u deze week.' },
        { 'If-Match': 'W/"1"' },
      );
      expect(accepted.status).toBe(200);
    });
    const search = async (query: string, caller = gp) => {
      const res = await svc.http(caller, 'GET', `/fhir/Task?${query}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      expect(res.body.link[0]).toEqual({
        relation: 'self',
        url: expect.stringMatching(new RegExp(`^${FHIR_BASE}/Task`)),
      });
      return ((res.body.entry ?? []) as { resource: { id: string }; search: { mode: string } }[])
        .filter((e) => e.search.mode === 'match')
        .map((e) => e.resource.id)
        .filter((id) => [...ids, elsewhere].includes(id));
    };

    it("filters by status, requester and authored-on (ge/le, Amsterdam dates), scoped to the caller's organisation", async () => {
      expect(await search('status=accepted')).toEqual([ids[1]]);
      expect(await search('status=requested,accepted')).toEqual([ids[0], ids[1], ids[2], elsewhere]);
      // 25 Nov 22:30 UTC is 25 Nov 23:30 in Amsterdam.
      expect(await search('authored-on=ge2026-11-25&authored-on=le2026-11-25')).toEqual([ids[1]]);
      expect(await search('authored-on=2026-11-26')).toEqual([ids[2], elsewhere]);
      expect(await search('authored-on=lt2026-11-25')).toEqual([ids[0]]);
      expect(await search('authored-on=gt2026-11-25T22:00:00Z')).toEqual([ids[1], ids[2], elsewhere]);
      expect(await search(`requester=${SYSTEMS.organisation}|huisarts-beterschap&status=requested`)).toEqual([
        ids[0],
        ids[2],
        elsewhere,
      ]);
      // The welfare organisation sees its own referrals only; another practice sees none of these.
      expect(await search('', coordinator)).toEqual([ids[0], ids[1], ids[2]]);
      expect(await search('', otherCoordinator)).toEqual([elsewhere]);
      expect(await search('', otherGp)).toEqual([]);
      const accepted = await svc.http(gp, 'GET', '/fhir/Task?status=accepted');
      expect(accepted.body.entry[0].resource).toMatchObject({
        status: 'accepted',
        businessStatus: { coding: [{ code: 'accepted' }] },
        meta: { versionId: '3' }, // ordered, Task created, accepted, feedback sent
      });
    });

    it('ignores unknown parameters with a warning (400 when strict), and answers bad values with 400', async () => {
      const lenient = await svc.http(gp, 'GET', '/fhir/Task?status=accepted&colour=blue');
      expect(lenient.status).toBe(200);
      const entries = lenient.body.entry as { resource: Record<string, any>; search: { mode: string } }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(entries.filter((e) => e.search.mode === 'match').map((e) => e.resource.id)).toEqual([ids[1]]);
      expect(entries.find((e) => e.search.mode === 'outcome')!.resource).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'warning', code: 'not-supported', diagnostics: expect.stringContaining("'colour'") }],
      });
      const strict = await svc.http(gp, 'GET', '/fhir/Task?status=accepted&colour=blue', undefined, {
        Prefer: 'handling=strict',
      });
      expect(strict.status).toBe(400);
      expect(strict.body.issue).toEqual([
        expect.objectContaining({ code: 'invalid', diagnostics: expect.stringContaining('colour') }),
      ]);
      const values = await svc.http(gp, 'GET', '/fhir/Task?status=done&authored-on=sa2026');
      expect(values.status).toBe(400);
      expect(values.body.issue.map((i: { diagnostics: string }) => i.diagnostics.split(':')[0]).sort()).toEqual([
        'authored-on',
        'status',
      ]);
      // An empty result has no entry array at all (base R4: no empty arrays).
      const none = await svc.http(otherGp, 'GET', '/fhir/Task');
      expect(none.body).toMatchObject({ type: 'searchset', total: 0 });
      expect(none.body).not.toHaveProperty('entry');
    });

    it("searches as Gravity's recipient: _id, owner (:identifier, :missing), requester:identifier, focus, code, _include, paging", async () => {
      expect(await search(`_id=${ids[0]},${ids[2]}`)).toEqual([ids[0], ids[2]]);
      expect(await search(`focus=ServiceRequest/${ids[1]}`)).toEqual([ids[1]]);
      expect(await search('owner=welzijn-elders')).toEqual([elsewhere]);
      expect(await search(`owner:identifier=${SYSTEMS.organisation}|welzijn-beterstad&status=requested`)).toEqual([
        ids[0],
        ids[2],
      ]);
      expect(await search('owner:missing=true')).toEqual([]);
      expect(
        await search(`requester:identifier=${SYSTEMS.organisation}|huisarts-beterschap&owner=welzijn-elders`),
      ).toEqual([elsewhere]);
      expect(await search(`code=${SYSTEMS.taskCode}|fulfill&_id=${ids[0]}`)).toEqual([ids[0]]);
      expect(await search(`code=other&_id=${ids[0]}`)).toEqual([]);
      const included = await svc.http(gp, 'GET', `/fhir/Task?_id=${ids[1]}&_include=Task:focus`);
      expect(
        (included.body.entry as { fullUrl: string; search: { mode: string } }[]).map((e) => [e.fullUrl, e.search.mode]),
      ).toEqual([
        [`${FHIR_BASE}/Task/${ids[1]}`, 'match'],
        [`${FHIR_BASE}/ServiceRequest/${ids[1]}`, 'include'],
      ]);
      // Paging: _count with total, self, next and previous; following next reaches every match once.
      const all = await search(`_id=${ids.join(',')}`);
      const seen: string[] = [];
      let url: string | undefined = `${FHIR_BASE}/Task?_id=${ids.join(',')}&_count=2`;
      let pages = 0;
      while (url) {
        const page = await svc.http(gp, 'GET', pathOf(url));
        expect(page.body.total).toBe(3);
        const links = Object.fromEntries(
          (page.body.link as { relation: string; url: string }[]).map((l) => [l.relation, l.url]),
        );
        if (pages > 0) expect(links.previous).toBeDefined();
        seen.push(...(page.body.entry as { resource: { id: string } }[]).map((e) => e.resource.id));
        url = links.next;
        pages += 1;
      }
      expect([pages, seen]).toEqual([2, all]);
    });

    it('returns the terugkoppeling as Communications, for the practice and for nobody else', async () => {
      const res = await svc.http(gp, 'GET', `/fhir/Task/${ids[1]}/$feedback`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
      expect(res.body.entry[0].resource).toMatchObject({
        resourceType: 'Communication',
        partOf: [{ reference: `Task/${ids[1]}` }],
        topic: { coding: [{ code: 'acceptance' }] },
        payload: [{ contentString: 'Welkom, coach Anna belt u deze week.' }],
      });
      expect((await svc.http(gp, 'GET', `/fhir/Communication?part-of=Task/${ids[1]}`)).body.entry).toEqual(
        res.body.entry,
      );
      expect(res.body.entry[0].fullUrl).toMatch(new RegExp(`^${FHIR_BASE}/Communication/${ids[1]}-1$`));
      expect((await svc.http(otherGp, 'GET', `/fhir/Task/${ids[1]}/$feedback`)).status).toBe(404);
      // Reading the message was an access to personal data: logged (NEN 7513) in the service's own stream.
      const logged = await svc.pool.query(
        `SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'access-log-%' AND data->'resource'->>'type' = 'feedback' AND data->'resource'->>'id' = $1`,
        [ids[1]],
      );
      expect(logged.rows[0].n).toBeGreaterThan(0);
    });
  });

  it('describes itself at /fhir/metadata without a token: every route of the table, Gravity capabilities', async () => {
    const res = await svc.http(undefined, 'GET', '/fhir/metadata');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const cs = res.body;
    expect(cs).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      kind: 'instance',
      format: expect.arrayContaining(['application/fhir+json']),
      implementation: { url: FHIR_BASE },
      instantiates: expect.arrayContaining([
        'http://hl7.org/fhir/us/sdoh-clinicalcare/CapabilityStatement/SDOHCC-ReferralRecipient',
      ]),
      rest: [{ mode: 'server', interaction: [{ code: 'transaction' }] }],
    });
    expect(cs.rest[0].documentation).toMatch(/^Not supported: /);
    // Each route of the table is declared, and each declared interaction is served (not 404/405).
    for (const route of Object.values(REFERRAL_FHIR_ROUTES)) {
      if (route.kind === 'system') continue;
      const resource = cs.rest[0].resource.find((r: { type: string }) => r.type === route.resource);
      if (route.kind === 'operation')
        expect(resource.operation).toEqual(expect.arrayContaining([expect.objectContaining({ name: route.name })]));
      else
        expect(resource.interaction).toEqual(
          expect.arrayContaining([expect.objectContaining({ code: route.interaction })]),
        );
    }
    const task = cs.rest[0].resource.find((r: { type: string }) => r.type === 'Task');
    expect(task.searchParam).toEqual(
      expect.arrayContaining([{ name: 'status', type: 'token', documentation: expect.any(String) }]),
    );
    expect(task).toMatchObject({ versioning: 'versioned', readHistory: true });
  });

  it('answers every error under /fhir as OperationOutcome with an issue-type code', async () => {
    const sr = await svc.http(gp, 'POST', '/fhir/ServiceRequest', await newServiceRequest());
    const id = sr.body.id as string;
    const coach = { sub: 'coach-1', roles: ['coach'], org: 'welzijn-beterstad' } as const;
    type Answer = ReturnType<ReferralServiceUnderTest['http']>;
    const cases: [string, Answer, number, string][] = [
      ['no token', svc.http(undefined, 'GET', `/fhir/Task/${id}`), 401, 'login'],
      ['wrong role', svc.http({ ...coach, roles: ['coach'] }, 'POST', '/fhir/ServiceRequest', {}), 403, 'forbidden'],
      ['unknown id', svc.http(gp, 'GET', `/fhir/Task/${randomUUID()}`), 404, 'not-found'],
      ['not an id', svc.http(gp, 'GET', '/fhir/Task/abc'), 404, 'not-found'],
      ['another practice', svc.http(otherGp, 'GET', `/fhir/ServiceRequest/${id}`), 404, 'not-found'],
      ['no such version', svc.http(gp, 'GET', `/fhir/Task/${id}/_history/7`), 404, 'not-found'],
      ['unsupported type', svc.http(gp, 'GET', '/fhir/Patient/1'), 404, 'not-found'],
      ['malformed JSON', svc.raw(gp, 'POST', '/fhir/ServiceRequest', '{"resourceType":'), 400, 'invalid'],
      ['wrong Bundle type', svc.http(gp, 'POST', '/fhir', { resourceType: 'Bundle', type: 'batch' }), 422, 'invalid'],
      ['bad search value', svc.http(gp, 'GET', '/fhir/Task?status=done'), 400, 'invalid'],
    ];
    for (const [name, pending, status, code] of cases) {
      const res = await pending;
      expect([name, res.status, res.headers.get('content-type')?.split(';')[0], res.body.resourceType]).toEqual([
        name,
        status,
        'application/fhir+json',
        'OperationOutcome',
      ]);
      expect([name, res.body.issue[0].code, res.body.issue[0].severity]).toEqual([name, code, 'error']);
    }
    expect((await svc.http(undefined, 'GET', `/referrals/${id}`)).headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('keeps every version: vread and _history for Task and ServiceRequest, versionId = stream version', async () => {
    const id = await newReferral();
    const sr = await svc.http(gp, 'GET', `/fhir/ServiceRequest/${id}/_history/0`);
    const accepted = await svc.http(coordinator, 'POST', `/referrals/${id}/accept`, {}, { 'If-Match': 'W/"1"' });
    expect(accepted.status).toBe(200);
    const now = await svc.http(gp, 'GET', `/fhir/Task/${id}`);
    const version = Number(now.body.meta.versionId);
    expect(version).toBeGreaterThan(1);
    // Version 0 is the ServiceRequest's create; the Task was created at version 1.
    expect((await svc.http(gp, 'GET', `/fhir/Task/${id}/_history/0`)).status).toBe(404);
    const first = await svc.http(gp, 'GET', `/fhir/Task/${id}/_history/1`);
    expect(first.body).toMatchObject({ id, status: 'requested', meta: { versionId: '1' } });
    expect(first.headers.get('etag')).toBe('W/"1"');
    expect((await svc.http(gp, 'GET', `/fhir/Task/${id}/_history/${version}`)).body).toEqual(now.body);
    expect((await svc.http(coordinator, 'GET', `/fhir/ServiceRequest/${id}/_history/0`)).body).toEqual(sr.body);
    for (const [type, created] of [
      ['Task', 1],
      ['ServiceRequest', 0],
    ] as const) {
      const history = await svc.http(gp, 'GET', `/fhir/${type}/${id}/_history`);
      const total = version - created + 1;
      expect(history.body).toMatchObject({ resourceType: 'Bundle', type: 'history', total });
      const entries = history.body.entry as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(entries.map((e) => e.resource.meta.versionId)).toEqual(
        Array.from({ length: total }, (_, i) => String(version - i)),
      );
      expect(entries.at(-1)).toMatchObject({
        fullUrl: `${FHIR_BASE}/${type}/${id}`,
        request: { method: 'POST', url: type },
        response: { status: '201 Created', etag: `W/"${created}"` },
      });
    }
    // A transaction's locations resolve too.
    const tx = await svc.http(gp, 'POST', '/fhir', bundleFor(await newServiceRequest()));
    for (const entry of tx.body.entry as { fullUrl: string; response: { location: string } }[]) {
      expect(entry.fullUrl.startsWith(`${FHIR_BASE}/`)).toBe(true);
      expect((await svc.http(gp, 'GET', `/fhir/${entry.response.location}`)).status).toBe(200);
    }
    expect((await svc.http(otherGp, 'GET', `/fhir/Task/${id}/_history`)).status).toBe(404);
  });
});
