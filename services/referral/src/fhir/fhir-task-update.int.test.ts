import { bsnSequence } from '@wor/test-support';
import { randomUUID } from 'node:crypto';
import { SYSTEMS } from './mapping';
import { coordinator, gp, otherCoordinator, otherGp, type ReferralServiceUnderTest } from '../testing/harness';
import { referByTwoCalls, serviceRequestFor, startFhirReferralService } from './testing/fixtures';

type Json = Record<string, unknown>;
const bsn = bsnSequence(200_000_000);
const concept = (system: string, code: string) => ({ coding: [{ system, code }] });

describe('PUT /fhir/Task/{id}: Task updates by FHIR onto the REST steps (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    svc = await startFhirReferralService();
  });
  afterAll(() => svc.stop());

  const newReferral = async (): Promise<string> => {
    const patient = bsn();
    return (await referByTwoCalls(svc, gp, serviceRequestFor(patient, await svc.consentFor(patient)))).id;
  };
  /** Read the Task, change it, PUT it with the ETag read. */
  const update = async (caller: typeof gp, id: string, change: (task: Json) => void, etag?: string) => {
    const read = await svc.http(caller, 'GET', `/fhir/Task/${id}`);
    const task = read.body as Json;
    change(task);
    return svc.http(caller, 'PUT', `/fhir/Task/${id}`, task, { 'If-Match': etag ?? read.headers.get('etag')! });
  };
  const setStatus =
    (status: string, more: Json = {}) =>
    (task: Json) =>
      Object.assign(task, { status }, more);

  it('lets a Light recipient complete a referral by FHIR alone: accept, start, complete with output', async () => {
    const id = await newReferral();
    const serviceId = await svc.publishService('Wandelgroep De Stap');
    const polled = await svc.http(coordinator, 'GET', '/fhir/Task?status=requested');
    expect((polled.body.entry as { resource: { id: string } }[]).map((e) => e.resource.id)).toContain(id);

    const accepted = await update(coordinator, id, setStatus('accepted'));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      status: 'accepted',
      meta: { versionId: accepted.headers.get('etag')!.slice(3, -1) },
    });
    const started = await update(coordinator, id, setStatus('in-progress'));
    expect([started.status, started.body.status]).toEqual([200, 'in-progress']);
    const completed = await update(
      coordinator,
      id,
      setStatus('completed', {
        output: [
          {
            type: concept(SYSTEMS.sdohcc, 'resulting-activity'),
            valueReference: { reference: `HealthcareService/${serviceId}` },
          },
          {
            type: concept(SYSTEMS.taskOutputType, 'completion-outcome'),
            valueCodeableConcept: concept(SYSTEMS.completionOutcome, 'linked-to-activity'),
          },
        ],
      }),
    );
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({
      status: 'completed',
      output: [
        { valueReference: { reference: `HealthcareService/${serviceId}`, display: 'Wandelgroep De Stap' } },
        { valueCodeableConcept: { coding: [{ code: 'linked-to-activity' }] } },
      ],
    });
    // The GP sees it by read and by search.
    expect((await svc.http(gp, 'GET', `/fhir/Task/${id}`)).body.status).toBe('completed');
    const types = (await svc.streamOf(id)).map((e) => e.type);
    expect(types).toEqual([
      'ReferralOrdered',
      'ReferralRequested',
      'ReferralAccepted',
      'FeedbackSent',
      'CoachAssigned',
      'ContactAttempted',
      'FirstContactMade',
      'ActivityLinked',
      'ReferralCompleted',
      'FeedbackSent',
    ]);
  });

  it('gives the same event stream as the REST steps (accept, hold, resume, fail)', async () => {
    const [byRest, byFhir] = [await newReferral(), await newReferral()];
    const rest = async (step: string, body: Json, version: number) =>
      expect(
        (await svc.http(coordinator, 'POST', `/referrals/${byRest}/${step}`, body, { 'If-Match': `W/"${version}"` }))
          .status,
      ).toBe(200);
    // Version 0 is the order, 1 its Task.
    await rest('accept', {}, 1);
    await rest('hold', { reason: 'patient-unwell' }, 3);
    await rest('resume', {}, 4);
    await rest('fail', { reason: 'declined', coachHours: 0 }, 5);
    for (const change of [
      setStatus('accepted'),
      setStatus('on-hold', { statusReason: concept(SYSTEMS.holdReason, 'patient-unwell') }),
      (task: Json) => {
        delete task.statusReason;
        task.status = 'accepted';
      },
      setStatus('failed', { statusReason: concept(SYSTEMS.failureReason, 'declined') }),
    ])
      expect((await update(coordinator, byFhir, change)).status).toBe(200);
    // After the order and its Task (another patient each), every event is the same, data and all.
    const normalise = async (id: string) =>
      JSON.parse(JSON.stringify((await svc.streamOf(id)).slice(2)).replaceAll(id, '<id>')) as unknown[];
    expect(await normalise(byFhir)).toEqual(await normalise(byRest));
    expect((await normalise(byFhir)).length).toBe(6);
  });

  it('lets the requester cancel, and refuses the owner that', async () => {
    const id = await newReferral();
    const byOwner = await update(coordinator, id, setStatus('cancelled'));
    expect([byOwner.status, byOwner.body.resourceType]).toEqual([403, 'OperationOutcome']);
    const byRequester = await update(gp, id, setStatus('cancelled'));
    expect([byRequester.status, byRequester.body.status]).toEqual([200, 'cancelled']);
  });

  it('answers 422 naming the element, 412 when stale, 428 without If-Match, 409 for a refused transition', async () => {
    const id = await newReferral();
    const events = (await svc.streamOf(id)).length;
    const owner = await update(coordinator, id, setStatus('accepted', { owner: { identifier: { value: 'x' } } }));
    expect([owner.status, owner.body.issue[0].expression]).toEqual([422, ['Task.owner']]);
    const noReason = await update(coordinator, id, setStatus('rejected'));
    expect([noReason.status, noReason.body.issue[0].expression]).toEqual([422, ['Task.statusReason']]);
    const badReason = await update(
      coordinator,
      id,
      setStatus('rejected', { statusReason: concept(SYSTEMS.rejectionReason, 'bored') }),
    );
    expect([badReason.status, badReason.body.issue[0].expression]).toEqual([422, ['Task.statusReason']]);
    const stale = await update(coordinator, id, setStatus('accepted'), 'W/"7"');
    expect([stale.status, stale.body.issue[0].code]).toEqual([412, 'conflict']);
    const task = (await svc.http(coordinator, 'GET', `/fhir/Task/${id}`)).body;
    const unconditional = await svc.http(coordinator, 'PUT', `/fhir/Task/${id}`, { ...task, status: 'accepted' });
    expect([unconditional.status, unconditional.body.issue[0].code]).toEqual([428, 'required']);
    const refused = await update(
      coordinator,
      id,
      setStatus('completed', {
        output: [
          {
            type: concept(SYSTEMS.taskOutputType, 'completion-outcome'),
            valueCodeableConcept: concept(SYSTEMS.completionOutcome, 'goals-reached'),
          },
        ],
      }),
    );
    expect([refused.status, refused.body.issue[0].code]).toEqual([409, 'conflict']);
    expect(refused.body.issue[0].diagnostics).toMatch(/requested/);
    const requested = await update(coordinator, id, setStatus('draft'));
    expect(requested.status).toBe(409);
    expect((await svc.streamOf(id)).length).toBe(events);
  });

  it('gives another organisation 404 on update, logs it as denied access, and nothing changes', async () => {
    const id = await newReferral();
    const task = (await svc.http(coordinator, 'GET', `/fhir/Task/${id}`)).body;
    for (const caller of [otherCoordinator, otherGp]) {
      const res = await svc.http(
        caller,
        'PUT',
        `/fhir/Task/${id}`,
        { ...task, status: 'accepted' },
        { 'If-Match': 'W/"0"' },
      );
      expect([res.status, res.body.issue[0].code]).toEqual([404, 'not-found']);
    }
    expect((await svc.http(gp, 'PUT', `/fhir/Task/${randomUUID()}`, task, { 'If-Match': 'W/"0"' })).status).toBe(404);
    expect((await svc.streamOf(id)).map((e) => e.type)).toEqual(['ReferralOrdered', 'ReferralRequested']);
    const denied = await svc.pool.query<{ user_id: string }>(
      `SELECT data->>'userId' AS user_id FROM events WHERE type = 'AccessLogged' AND data->>'outcome' = 'denied'
         AND data->'resource'->>'id' = $1 ORDER BY global_position`,
      [id],
    );
    expect(denied.rows.map((r) => r.user_id)).toEqual([otherCoordinator.sub, otherGp.sub]);
  });
});
