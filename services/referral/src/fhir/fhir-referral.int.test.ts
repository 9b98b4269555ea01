import { randomUUID } from 'node:crypto';
import { bsnSequence } from '@wor/test-support';
import bundleExample from './examples/transaction-bundle.json';
import taskExample from './examples/task.json';
import { SYSTEMS } from './mapping';
import {
  coordinator,
  gp,
  otherCoordinator,
  otherGp,
  serviceRequestFor,
  startReferralService,
  type ReferralServiceUnderTest,
} from './testing/harness';

const PERSONAL = ['Voorbeeld', 'Jet', '1955-04-12', '12345678', 'jet.voorbeeld@example.org', 'weduwe'];
const bsn = bsnSequence(100_000_000);

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const bundleFor = (sr: unknown) => {
  const bundle = clone(bundleExample);
  (bundle.entry[0] as { resource: unknown }).resource = sr;
  return bundle;
};

describe('FHIR R4 referral API at /fhir (whole referral service, real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    svc = await startReferralService();
  });
  afterAll(() => svc.stop());

  const newServiceRequest = async (patient = bsn()) => serviceRequestFor(patient, await svc.consentFor(patient));

  it('creates one referral by separate calls: ServiceRequest (201), then its Task (200, the one already created)', async () => {
    const before = await svc.referralCount();
    const sr = await svc.http(gp, 'POST', '/fhir/ServiceRequest', await newServiceRequest());
    expect(sr.status).toBe(201);
    expect(sr.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const id = sr.body.id as string;
    expect(sr.headers.location).toBe(`/fhir/ServiceRequest/${id}`);
    expect(sr.headers.etag).toBe('W/"0"');
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
    expect(task.status).toBe(200);
    expect(task.headers.location).toBe(`/fhir/Task/${id}`);
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
    expect(readSr.body).toEqual(sr.body);
    expect(readTask.headers.etag).toBe('W/"0"');
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
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'Task.focus' })]);
    const sr = await svc.http(gp, 'POST', '/fhir/ServiceRequest', await newServiceRequest());
    const wrongOwner = clone(taskExample) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    wrongOwner.focus = { reference: `ServiceRequest/${sr.body.id}` };
    wrongOwner.owner.identifier.value = 'welzijn-elders';
    const disagreeing = await svc.http(gp, 'POST', '/fhir/Task', wrongOwner);
    expect(disagreeing.status).toBe(422);
    expect(disagreeing.body.errors.map((e: { path: string }) => e.path)).toEqual(['Task.owner.identifier.value']);
    expect(await svc.eventCount()).toBe(events + 2); // the ServiceRequest's ReferralRequested and its access-log entry only
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

  it('answers bad input with 422 problem+json naming FHIR paths, and stores nothing', async () => {
    const events = await svc.eventCount();
    const bad = await newServiceRequest();
    bad.reasonCode[1]!.coding[0]!.code = 'verveling';
    bad.contained[0]!.identifier[0]!.value = '12';
    const res = await svc.http(gp, 'POST', '/fhir/ServiceRequest', bad);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'ServiceRequest.contained[0].identifier[0].value',
      'ServiceRequest.reasonCode[1].coding[0].code',
    ]);
    expect(res.text).not.toContain('verveling');

    // A rule of the submission itself (birth date in the future) is named by its FHIR path too.
    const future = await newServiceRequest();
    future.contained[0]!.birthDate = '2030-01-01';
    const inFuture = await svc.http(gp, 'POST', '/fhir/ServiceRequest', future);
    expect(inFuture.status).toBe(422);
    expect(inFuture.body.errors).toEqual([
      { path: 'ServiceRequest.contained[0].birthDate', message: 'lies in the future' },
    ]);

    // In a Bundle, a bad Task keeps the good ServiceRequest from being stored.
    const bundle = bundleFor(await newServiceRequest());
    (bundle.entry[1]!.resource as { focus: unknown }).focus = {
      reference: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    };
    const badBundle = await svc.http(gp, 'POST', '/fhir', bundle);
    expect(badBundle.status).toBe(422);
    expect(badBundle.body.errors.map((e: { path: string }) => e.path)).toEqual(['Bundle.entry[1].resource.focus']);
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
        ids.push((await svc.http(gp, 'POST', '/fhir/ServiceRequest', await newServiceRequest())).body.id);
      }
      svc.clock.now = new Date('2026-11-26T10:00:00.000Z');
      const patient = bsn();
      const toElsewhere = serviceRequestFor(patient, await svc.consentFor(patient, 'welzijn-elders'), (sr) => {
        sr.performer[0]!.identifier.value = 'welzijn-elders';
      });
      elsewhere = (await svc.http(gp, 'POST', '/fhir/ServiceRequest', toElsewhere)).body.id;
      // The welfare organisation accepts the second, through the REST API.
      const accepted = await svc.http(
        coordinator,
        'POST',
        `/referrals/${ids[1]}/accept`,
        { feedbackMessage: 'Welkom, coach Anna belt u deze week.' },
        { 'If-Match': 'W/"0"' },
      );
      expect(accepted.status).toBe(200);
    });
    const search = async (query: string, caller = gp) => {
      const res = await svc.http(caller, 'GET', `/fhir/Task?${query}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      return (res.body.entry as { resource: { id: string } }[])
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
        meta: { versionId: '2' },
      });
    });

    it('refuses unknown parameters and bad values with 422', async () => {
      const res = await svc.http(gp, 'GET', '/fhir/Task?status=done&authored-on=sa2026&patient=x');
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['patient']);
      const values = await svc.http(gp, 'GET', '/fhir/Task?status=done&authored-on=sa2026');
      expect(values.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['authored-on', 'status']);
    });

    it('returns the terugkoppeling as Communications, for the practice and for nobody else', async () => {
      const res = await svc.http(gp, 'GET', `/fhir/Task/${ids[1]}/$feedback`);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
      expect(res.body.entry[0].resource).toMatchObject({
        resourceType: 'Communication',
        partOf: [{ reference: `Task/${ids[1]}` }],
        topic: { coding: [{ code: 'acceptance' }] },
        payload: [{ contentString: 'Welkom, coach Anna belt u deze week.' }],
      });
      expect((await svc.http(gp, 'GET', `/fhir/Communication?part-of=Task/${ids[1]}`)).body).toEqual(res.body);
      expect((await svc.http(otherGp, 'GET', `/fhir/Task/${ids[1]}/$feedback`)).status).toBe(404);
      // Reading the message was an access to personal data: logged (NEN 7513) in the service's own stream.
      const logged = await svc.pool.query(
        `SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'access-log-%' AND data->'resource'->>'type' = 'feedback' AND data->'resource'->>'id' = $1`,
        [ids[1]],
      );
      expect(logged.rows[0].n).toBeGreaterThan(0);
    });
  });
});
