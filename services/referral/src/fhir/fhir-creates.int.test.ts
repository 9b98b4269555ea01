import { pseudonymise } from '@wor/privacy';
import { bsnSequence, hapiValidationErrors } from '@wor/test-support';
import bundleExample from './examples/transaction-bundle.json';
import taskExample from './examples/task.json';
import { serviceRequestFor } from './testing/fixtures';
import { coordinator, gp, startReferralService, type ReferralServiceUnderTest } from '../testing/harness';

const FHIR_BASE = 'https://fhir.test.example/wor/fhir';
const bsn = bsnSequence(180_000_000);
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const pathOf = (url: string | null): string => {
  if (!url?.startsWith(`${FHIR_BASE}/`)) throw new Error(`not under ${FHIR_BASE}: ${url}`);
  return `/fhir${url.slice(FHIR_BASE.length)}`;
};
const taskFor = (id: string) => ({ ...clone(taskExample), focus: { reference: `ServiceRequest/${id}` } });

describe('FHIR creates: POST ServiceRequest, then POST Task, each a real create (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    svc = await startReferralService({ env: { ...process.env, FHIR_BASE_URL: FHIR_BASE } });
    await svc.agreement();
  });
  afterAll(() => svc.stop());
  /** The answers of these tests, for HAPI's validator at the end. */
  const answers: Record<string, unknown> = {};

  const eventsOf = async (id: string): Promise<string[]> =>
    (
      await svc.pool.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version', [
        `referral-${id}`,
      ])
    ).rows.map((r) => r.type);
  const order = async (patient = bsn()) => {
    const consentId = await svc.consentFor(patient);
    const sr = await svc.http(gp, 'POST', '/fhir/ServiceRequest', serviceRequestFor(patient, consentId));
    expect(sr.status).toBe(201);
    return { id: sr.body.id as string, sr, patient, consentId };
  };

  it('creates the ServiceRequest (201), then its Task (201); until then the Task does not exist for anyone', async () => {
    const { id, sr } = await order();
    expect(sr.headers.get('location')).toBe(`${FHIR_BASE}/ServiceRequest/${id}/_history/0`);
    expect(sr.headers.get('etag')).toBe('W/"0"');
    expect(sr.body).toMatchObject({ resourceType: 'ServiceRequest', status: 'active', meta: { versionId: '0' } });

    // The order is the requester's alone: no Task to read or find, nothing offered to the welfare organisation.
    const missing = await svc.http(gp, 'GET', `/fhir/Task/${id}`);
    expect([missing.status, missing.body.resourceType]).toEqual([404, 'OperationOutcome']);
    expect((await svc.http(gp, 'GET', `/fhir/Task?_id=${id}`)).body.total).toBe(0);
    expect((await svc.http(coordinator, 'GET', `/fhir/ServiceRequest/${id}`)).status).toBe(404);
    expect((await svc.http(coordinator, 'GET', `/referrals/${id}`)).status).toBe(404);
    const queue = await svc.http(coordinator, 'GET', '/work-queues/organisation');
    expect(queue.body.items.map((i: { referralId: string }) => i.referralId)).not.toContain(id);

    const task = await svc.http(gp, 'POST', '/fhir/Task', taskFor(id));
    expect(task.status).toBe(201);
    expect(task.headers.get('location')).toBe(`${FHIR_BASE}/Task/${id}/_history/1`);
    expect(task.headers.get('etag')).toBe('W/"1"');
    expect(task.body).toMatchObject({ resourceType: 'Task', id, status: 'requested', meta: { versionId: '1' } });
    Object.assign(answers, {
      'create-service-request': sr.body,
      'create-task': task.body,
      'task-missing': missing.body,
    });
    expect(await eventsOf(id)).toEqual(['ReferralOrdered', 'ReferralRequested']);

    // Every location answered resolves; the Task has no version from before it was created.
    const located = await svc.http(gp, 'GET', pathOf(task.headers.get('location')));
    expect([located.status, located.body.meta.versionId]).toEqual([200, '1']);
    expect((await svc.http(gp, 'GET', pathOf(sr.headers.get('location')))).status).toBe(200);
    expect((await svc.http(gp, 'GET', `/fhir/Task/${id}/_history/0`)).status).toBe(404);
    const history = await svc.http(gp, 'GET', `/fhir/Task/${id}/_history`);
    answers['task-history'] = history.body;
    expect(history.body.entry.map((e: { request: { method: string } }) => e.request.method)).toEqual(['POST']);
    // The ServiceRequest keeps the order's time; the Task's is when the welfare organisation was asked.
    expect((await svc.http(gp, 'GET', `/fhir/ServiceRequest/${id}`)).body.authoredOn).toBe(sr.body.authoredOn);

    // From now on the welfare organisation has it: read, search, work queue.
    expect((await svc.http(coordinator, 'GET', `/fhir/Task/${id}`)).status).toBe(200);
    expect((await svc.http(coordinator, 'GET', `/fhir/Task?_id=${id}`)).body.total).toBe(1);
    const offered = await svc.http(coordinator, 'GET', '/work-queues/organisation');
    expect(offered.body.items.map((i: { referralId: string }) => i.referralId)).toContain(id);
  });

  it('refuses a second Task (409) naming the one that exists, and changes nothing', async () => {
    const { id } = await order();
    expect((await svc.http(gp, 'POST', '/fhir/Task', taskFor(id))).status).toBe(201);
    const again = await svc.http(gp, 'POST', '/fhir/Task', taskFor(id));
    expect([again.status, again.body.resourceType, again.body.issue[0].code]).toEqual([
      409,
      'OperationOutcome',
      'conflict',
    ]);
    expect(again.body.issue[0].expression).toEqual(['Task.focus']);
    answers['second-task-409'] = again.body;
    expect(again.body.issue[0].diagnostics).toContain(`${FHIR_BASE}/Task/${id}`);
    expect(await eventsOf(id)).toEqual(['ReferralOrdered', 'ReferralRequested']);
  });

  it('answers a conditional create (If-None-Exist) as R4 says: 0 matches create, 1 match 200, more 412', async () => {
    const { id } = await order();
    const condition = { 'if-none-exist': `focus=ServiceRequest/${id}` };
    const first = await svc.http(gp, 'POST', '/fhir/Task', taskFor(id), condition);
    expect(first.status).toBe(201);
    const second = await svc.http(gp, 'POST', '/fhir/Task', taskFor(id), condition);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ resourceType: 'Task', id, meta: { versionId: '1' } });
    expect(second.headers.get('etag')).toBe('W/"1"');
    answers['conditional-task-200'] = second.body;
    // HAPI's client sends the condition as a relative URL.
    const asUrl = await svc.http(gp, 'POST', '/fhir/Task', taskFor(id), {
      'if-none-exist': `Task?focus=ServiceRequest/${id}`,
    });
    expect(asUrl.status).toBe(200);
    expect(await eventsOf(id)).toEqual(['ReferralOrdered', 'ReferralRequested']);

    const { id: other } = await order();
    const many = await svc.http(gp, 'POST', '/fhir/Task', taskFor(other), {
      'if-none-exist': 'requester:identifier=urn:wor:organisation-id|huisarts-beterschap',
    });
    expect([many.status, many.body.issue[0].code]).toEqual([412, 'conflict']);
    answers['conditional-412'] = many.body;
    const unknown = await svc.http(gp, 'POST', '/fhir/Task', taskFor(other), { 'if-none-exist': 'colour=blue' });
    expect([unknown.status, unknown.body.issue[0].diagnostics]).toEqual([
      400,
      'If-None-Exist: not a Task search parameter here: colour',
    ]);
    answers['conditional-400'] = unknown.body;
    expect(await eventsOf(other)).toEqual(['ReferralOrdered']);
  });

  it('decides on sharing again when the Task offers the referral: a consent withdrawn since is 403, no Task', async () => {
    const { id, patient, consentId } = await order();
    await svc.withdraw(patient, consentId);
    const refused = await svc.http(gp, 'POST', '/fhir/Task', taskFor(id));
    expect([refused.status, refused.body.resourceType]).toEqual([403, 'OperationOutcome']);
    expect(await eventsOf(id)).toEqual(['ReferralOrdered']);
  });

  it("puts an order awaiting its Task in the subject's report (AVG art. 15): it holds their data too", async () => {
    const { id, patient } = await order();
    const officer = { sub: 'privacy-officer-1', roles: ['privacy-officer' as const] };
    const report = await svc.http(officer, 'GET', `/subjects/${pseudonymise(patient, 'test-pseudonym-secret')}/report`);
    expect(report.status).toBe(200);
    expect(report.body.referrals.map((r: { referralId: string }) => r.referralId)).toEqual([id]);
  });

  it('creates both at once by transaction: 201 each, locations that resolve, the referral requested at once', async () => {
    const patient = bsn();
    const bundle = clone(bundleExample);
    (bundle.entry[0] as { resource: unknown }).resource = serviceRequestFor(patient, await svc.consentFor(patient));
    const res = await svc.http(gp, 'POST', '/fhir', bundle);
    expect([res.status, res.body.type]).toEqual([200, 'transaction-response']);
    answers['transaction-response'] = res.body;
    for (const entry of res.body.entry as { response: { status: string; location: string } }[]) {
      expect(entry.response.status).toBe('201 Created');
      expect((await svc.http(gp, 'GET', `/fhir/${entry.response.location}`)).status).toBe(200);
    }
    const id = res.body.entry[0].resource.id as string;
    expect(await eventsOf(id)).toEqual(['ReferralRequested']);
    // Its Task exists: a Task posted after it is a second one.
    expect((await svc.http(gp, 'POST', '/fhir/Task', taskFor(id))).status).toBe(409);
  });

  it('gives answers that validate against base R4 (HAPI FHIR, offline)', async () => {
    expect(Object.keys(answers).length).toBeGreaterThan(8);
    expect(await hapiValidationErrors(answers)).toEqual([]);
  }, 120_000);
});
