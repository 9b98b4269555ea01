// FHIR Procedure (Gravity's record of what was done) and the searches a Light recipient uses: POST by the
// welfare organisation, read and search by the parties, linked from Task.output on completion and
// returned by _include=Task:output. Real PostgreSQL, the whole service over HTTP.
import { bsnSequence, hapiValidationErrors } from '@wor/test-support';
import { pseudonymise } from '@wor/privacy';
import {
  anna,
  coordinator,
  elsewhere,
  gp,
  otherGp,
  startReferralService,
  type ReferralServiceUnderTest,
  type TestCaller,
} from '../testing/harness';
import { SYSTEMS } from './mapping';
import { referByTwoCalls, serviceRequestFor } from './testing/fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const bsn = bsnSequence(400_000_000);
const BASE = 'https://fhir.test.example/wor/fhir';
const concept = (system: string, code: string) => ({ coding: [{ system, code }] });
const SNOMED_COACHING = concept('http://snomed.info/sct', '410290000'); // a code, not free text

describe('FHIR Procedure and Task.output (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    svc = await startReferralService({ env: { ...process.env, FHIR_BASE_URL: BASE } });
    await svc.agreement();
  });
  afterAll(() => svc.stop());

  const newReferral = async () => {
    const patient = bsn();
    const { sr } = await referByTwoCalls(svc, gp, serviceRequestFor(patient, await svc.consentFor(patient)));
    return { id: sr.body.id as string, bsn: patient, subject: sr.body.subject.identifier.value as string };
  };
  const update = async (caller: TestCaller, id: string, change: (task: Json) => void) => {
    const read = await svc.http(caller, 'GET', `/fhir/Task/${id}`);
    change(read.body);
    return svc.http(caller, 'PUT', `/fhir/Task/${id}`, read.body, { 'If-Match': read.headers.get('etag')! });
  };
  const status = (s: string) => (task: Json) => Object.assign(task, { status: s });
  const started = async () => {
    const referral = await newReferral();
    expect((await update(coordinator, referral.id, status('accepted'))).status).toBe(200);
    expect((await update(coordinator, referral.id, status('in-progress'))).status).toBe(200);
    return referral;
  };
  const procedureFor = (referral: { id: string; subject: string }, over: Json = {}) => ({
    resourceType: 'Procedure',
    status: 'completed',
    code: SNOMED_COACHING,
    subject: { type: 'Patient', identifier: { system: SYSTEMS.subject, value: referral.subject } },
    basedOn: [{ reference: `ServiceRequest/${referral.id}` }],
    performedPeriod: { start: '2026-12-01T10:00:00+01:00', end: '2026-12-01T11:00:00+01:00' },
    ...over,
  });
  const completedWith = (references: string[]) => (task: Json) =>
    Object.assign(task, {
      status: 'completed',
      output: [
        ...references.map((reference) => ({
          type: concept(SYSTEMS.sdohcc, 'resulting-activity'),
          valueReference: { reference },
        })),
        {
          type: concept(SYSTEMS.taskOutputType, 'completion-outcome'),
          valueCodeableConcept: concept(SYSTEMS.completionOutcome, 'linked-to-activity'),
        },
      ],
    });
  const accessLog = async (where: string, params: unknown[]) =>
    (await svc.pool.query(`SELECT data FROM events WHERE type = 'AccessLogged' AND ${where}`, params)).rows.map(
      (r) => r.data as Json,
    );
  const ids = (bundle: Json, mode = 'match') =>
    ((bundle.entry ?? []) as Json[])
      .filter((e) => e.search?.mode === mode)
      .map((e) => `${e.resource.resourceType}/${e.resource.id}`);

  it('lets the recipient record a Procedure and complete the Task with it as output; the parties read and find it', async () => {
    const referral = await started();
    const versionBefore = (await svc.http(coordinator, 'GET', `/fhir/Task/${referral.id}`)).headers.get('etag');

    const created = await svc.http(anna, 'POST', '/fhir/Procedure', procedureFor(referral));
    expect(created.status).toBe(201);
    const procedureId = created.body.id as string;
    expect(created.headers.get('location')).toBe(`${BASE}/Procedure/${procedureId}`);
    expect(created.headers.get('etag')).toBe('W/"0"');
    expect(created.body).toMatchObject({
      resourceType: 'Procedure',
      status: 'completed',
      code: SNOMED_COACHING,
      basedOn: [{ reference: `ServiceRequest/${referral.id}` }],
      subject: { identifier: { system: SYSTEMS.subject, value: referral.subject } },
      performer: [{ actor: { identifier: { system: SYSTEMS.organisation, value: 'welzijn-beterstad' } } }],
      meta: { versionId: '0' },
    });
    // Its own stream: the Task's version (the owner's If-Match) does not move.
    expect((await svc.http(coordinator, 'GET', `/fhir/Task/${referral.id}`)).headers.get('etag')).toBe(versionBefore);
    const { rows } = await svc.pool.query(`SELECT data FROM events WHERE stream_id = $1`, [
      `procedures-${referral.id}`,
    ]);
    expect(rows.map((r) => r.data.procedureId)).toEqual([procedureId]);

    // Both parties read it.
    for (const caller of [gp, coordinator]) {
      const read = await svc.http(caller, 'GET', `/fhir/Procedure/${procedureId}`);
      expect([read.status, read.body.id]).toEqual([200, procedureId]);
    }

    const completed = await update(coordinator, referral.id, completedWith([`Procedure/${procedureId}`]));
    expect(completed.status).toBe(200);
    const task = (await svc.http(gp, 'GET', `/fhir/Task/${referral.id}`)).body;
    expect(task.status).toBe('completed');
    expect(task.output).toEqual(
      expect.arrayContaining([
        {
          type: concept(SYSTEMS.sdohcc, 'resulting-activity'),
          valueReference: { reference: `Procedure/${procedureId}` },
        },
      ]),
    );
    const stream = await svc.pool.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'ReferralCompleted'`, [
      `referral-${referral.id}`,
    ]);
    expect(stream.rows[0]!.data.procedureIds).toEqual([procedureId]);

    // Searches: based-on, patient (subject and BSN), Task:output include, Task?output.
    const byBasedOn = await svc.http(gp, 'GET', `/fhir/Procedure?based-on=ServiceRequest/${referral.id}`);
    expect([byBasedOn.status, ids(byBasedOn.body), byBasedOn.body.total]).toEqual([
      200,
      [`Procedure/${procedureId}`],
      1,
    ]);
    const byPatient = await svc.http(coordinator, 'GET', `/fhir/Procedure?patient=${referral.subject}`);
    expect(ids(byPatient.body)).toEqual([`Procedure/${procedureId}`]);
    const included = await svc.http(
      coordinator,
      'GET',
      `/fhir/Task?_id=${referral.id}&_include=Task:output&_include=Task:focus`,
    );
    expect(ids(included.body)).toEqual([`Task/${referral.id}`]);
    expect(ids(included.body, 'include').sort()).toEqual(
      [`Procedure/${procedureId}`, `ServiceRequest/${referral.id}`].sort(),
    );
    expect(ids(included.body, 'outcome')).toEqual([]);
    const byOutput = await svc.http(gp, 'GET', `/fhir/Task?output=Procedure/${procedureId}`);
    expect(ids(byOutput.body)).toEqual([`Task/${referral.id}`]);

    expect(
      await hapiValidationErrors({
        'procedure-created': created.body,
        'procedure-read': (await svc.http(gp, 'GET', `/fhir/Procedure/${procedureId}`)).body,
        'procedure-search': byBasedOn.body,
        'task-with-procedure-output': task,
        'task-include-output': included.body,
        'procedure-invalid': (
          await svc.http(anna, 'POST', '/fhir/Procedure', procedureFor(referral, { note: [{ text: 'x' }] }))
        ).body,
      }),
    ).toEqual([]);
  }, 180_000);

  it('refuses free text, a wrong subject, a closed or unaccepted referral, and outputs that are no Procedure of it', async () => {
    const referral = await started();
    const post = (body: unknown, caller: TestCaller = coordinator) => svc.http(caller, 'POST', '/fhir/Procedure', body);
    const expression = (r: Json) => r.body.issue.flatMap((i: Json) => i.expression ?? []);

    const note = await post(procedureFor(referral, { note: [{ text: 'Mevrouw vertelde over haar zoon' }] }));
    expect([note.status, note.body.resourceType, expression(note)]).toEqual([
      422,
      'OperationOutcome',
      ['Procedure.note'],
    ]);
    const text = await post(procedureFor(referral, { code: { ...SNOMED_COACHING, text: 'vrije tekst' } }));
    expect([text.status, expression(text)]).toEqual([422, ['Procedure.code.text']]);
    const subject = await post(
      procedureFor(referral, { subject: { identifier: { system: SYSTEMS.subject, value: 'sub_' + '0'.repeat(32) } } }),
    );
    expect([subject.status, expression(subject)]).toEqual([422, ['Procedure.subject.identifier.value']]);
    const noPerformed = await post(procedureFor(referral, { performedPeriod: undefined }));
    expect([noPerformed.status, expression(noPerformed)]).toEqual([422, ['Procedure.performed[x]']]);
    // The referring practice does not record Procedures.
    expect((await post(procedureFor(referral), gp)).status).toBe(403);

    const requested = await newReferral();
    const early = await post(procedureFor(requested));
    expect([early.status, early.body.issue[0].code]).toEqual([409, 'conflict']);

    // An output Procedure must be one of this referral.
    const other = await started();
    const othersProcedure = (await post(procedureFor(other))).body.id as string;
    const wrong = await update(coordinator, referral.id, completedWith([`Procedure/${othersProcedure}`]));
    expect([wrong.status, expression(wrong)]).toEqual([422, ['Task.output[0].valueReference']]);
    const unknown = await update(coordinator, referral.id, completedWith([`Procedure/${referral.id}-7`]));
    expect([unknown.status, expression(unknown)]).toEqual([422, ['Task.output[0].valueReference']]);
    expect((await svc.http(coordinator, 'GET', `/fhir/Task/${referral.id}`)).body.status).toBe('in-progress');
    // A Procedure is named by the completing update, not while in progress.
    const early2 = await update(coordinator, other.id, (task) =>
      Object.assign(task, {
        output: [
          {
            type: concept(SYSTEMS.sdohcc, 'resulting-activity'),
            valueReference: { reference: `Procedure/${othersProcedure}` },
          },
        ],
      }),
    );
    expect([early2.status, expression(early2)]).toEqual([422, ['Task.output[0].valueReference']]);

    // Closed: no more Procedures.
    expect((await update(coordinator, referral.id, completedWith([]))).status).toBe(200);
    expect((await post(procedureFor(referral))).status).toBe(409);
    // Procedures are named by the completing update only, not added to a completed Task.
    const late = await update(coordinator, referral.id, completedWith([`Procedure/${othersProcedure}`]));
    expect([late.status, late.body.issue[0].code]).toEqual([409, 'conflict']);
  });

  it('takes the same procedureIds through REST POST /referrals/{id}/complete, checked alike', async () => {
    const referral = await started();
    const procedureId = (await svc.http(coordinator, 'POST', '/fhir/Procedure', procedureFor(referral))).body.id;
    const etag = (await svc.http(coordinator, 'GET', `/fhir/Task/${referral.id}`)).headers.get('etag')!;
    const complete = (procedureIds: string[]) =>
      svc.http(
        coordinator,
        'POST',
        `/referrals/${referral.id}/complete`,
        { outcome: 'linked-to-activity', gasScores: [], coachHours: 2, procedureIds },
        { 'if-match': etag },
      );
    const unknown = await complete([`${referral.id}-9`]);
    expect([unknown.status, unknown.contentType]).toEqual([422, expect.stringContaining('application/problem+json')]);
    expect((await complete([procedureId])).status).toBe(200);
    const task = (await svc.http(gp, 'GET', `/fhir/Task/${referral.id}`)).body;
    expect(task.output).toContainEqual({
      type: concept(SYSTEMS.sdohcc, 'resulting-activity'),
      valueReference: { reference: `Procedure/${procedureId}` },
    });
  });

  it('pages Procedure searches with next and previous links', async () => {
    const referral = await started();
    for (let i = 0; i < 3; i++)
      expect((await svc.http(anna, 'POST', '/fhir/Procedure', procedureFor(referral))).status).toBe(201);
    const first = await svc.http(gp, 'GET', `/fhir/Procedure?based-on=ServiceRequest/${referral.id}&_count=2`);
    expect([first.body.total, ids(first.body)]).toEqual([
      3,
      [`Procedure/${referral.id}-1`, `Procedure/${referral.id}-2`],
    ]);
    const next = (first.body.link as Json[]).find((l) => l.relation === 'next')!.url as string;
    expect(next.startsWith(`${BASE}/Procedure?`)).toBe(true);
    const second = await svc.http(gp, 'GET', `/fhir${next.slice(BASE.length)}`);
    expect(ids(second.body)).toEqual([`Procedure/${referral.id}-3`]);
    expect((second.body.link as Json[]).map((l) => l.relation)).toEqual(['self', 'previous']);
  });

  it('gives another organisation or practice the 404 of an unknown id, logged as a denied access', async () => {
    // An id that is surely not this referral's (a fixed first digit would be it one time in sixteen).
    const otherId = (id: string) => (id.startsWith('0') ? '1' : '0') + id.slice(1);
    const referral = await started();
    const procedureId = (await svc.http(coordinator, 'POST', '/fhir/Procedure', procedureFor(referral))).body.id;
    const denied = () =>
      accessLog(`data->>'outcome' = 'denied' AND data->'resource'->>'id' = $1 AND data->>'reason' = 'not a party'`, [
        referral.id,
      ]);
    const before = (await denied()).length;
    for (const caller of [otherGp, elsewhere]) {
      const read = await svc.http(caller, 'GET', `/fhir/Procedure/${procedureId}`);
      const unknown = await svc.http(caller, 'GET', `/fhir/Procedure/${otherId(referral.id)}-1`);
      expect([read.status, read.body.resourceType]).toEqual([404, 'OperationOutcome']);
      expect(read.body.issue).toEqual(unknown.body.issue);
      const search = await svc.http(caller, 'GET', `/fhir/Procedure?based-on=ServiceRequest/${referral.id}`);
      expect([search.status, search.body.total]).toEqual([200, 0]);
    }
    const posted = await svc.http(elsewhere, 'POST', '/fhir/Procedure', procedureFor(referral));
    expect([posted.status, posted.body.issue[0].expression]).toEqual([422, ['Procedure.basedOn[0].reference']]);
    const logged = await denied();
    // Two reads, two searches and the create: each a probe on a real referral.
    expect(logged).toHaveLength(before + 5);
    expect(logged.map((e) => e.organisationId).sort()).toEqual(
      expect.arrayContaining(['huisarts-elders', 'welzijn-elders']),
    );
  });

  it('searches Tasks by patient, _lastUpdated and output, ServiceRequests by patient, requester and status', async () => {
    const a = await started();
    const b = await newReferral();
    const search = async (caller: TestCaller, query: string) => {
      const r = await svc.http(caller, 'GET', query);
      expect([query, r.status]).toEqual([query, 200]);
      return ids(r.body).sort();
    };
    expect(await search(gp, `/fhir/Task?patient=${a.subject}`)).toEqual([`Task/${a.id}`]);
    expect(await search(gp, `/fhir/Task?patient=${SYSTEMS.subject}|${a.subject},${b.subject}`)).toEqual(
      [`Task/${a.id}`, `Task/${b.id}`].sort(),
    );
    expect(await search(coordinator, `/fhir/Task?patient:identifier=${SYSTEMS.subject}|${b.subject}`)).toEqual([
      `Task/${b.id}`,
    ]);
    // By BSN: pseudonymised before the lookup, and the lookup is in the access log.
    expect(await search(gp, `/fhir/Task?patient:identifier=${SYSTEMS.bsn}|${a.bsn}`)).toEqual([`Task/${a.id}`]);
    const subjectA = pseudonymise(a.bsn, 'test-pseudonym-secret');
    expect(subjectA).toBe(a.subject);
    expect(
      await accessLog(`data->>'subjectId' = $1 AND data->>'reason' = 'search by BSN' AND data->>'userId' = $2`, [
        a.subject,
        gp.sub,
      ]),
    ).toEqual([
      expect.objectContaining({
        action: 'R',
        outcome: 'allowed',
        resource: { type: 'fhir-search-Task', id: a.subject },
      }),
    ]);
    // A BSN is never taken as a subject id, nor without :identifier.
    expect((await svc.http(gp, 'GET', `/fhir/Task?patient=${SYSTEMS.bsn}|${a.bsn}`)).status).toBe(400);
    // Another practice does not find them.
    expect(await search(otherGp, `/fhir/Task?patient=${a.subject}`)).toEqual([]);

    const task = (await svc.http(gp, 'GET', `/fhir/Task/${a.id}`)).body;
    const lastUpdated = task.meta.lastUpdated as string;
    expect(await search(gp, `/fhir/Task?_id=${a.id}&_lastUpdated=ge${lastUpdated}`)).toEqual([`Task/${a.id}`]);
    expect(await search(gp, `/fhir/Task?_id=${a.id}&_lastUpdated=gt${lastUpdated}`)).toEqual([]);
    expect(await search(gp, `/fhir/Task?_id=${a.id},${b.id}&_lastUpdated=lt${lastUpdated}`)).not.toContain(
      `Task/${a.id}`,
    );

    const serviceId = await svc.publishService('Wandelgroep De Stap');
    const linked = await update(coordinator, a.id, (t) =>
      Object.assign(t, {
        output: [
          {
            type: concept(SYSTEMS.sdohcc, 'resulting-activity'),
            valueReference: { reference: `HealthcareService/${serviceId}` },
          },
        ],
      }),
    );
    expect(linked.status).toBe(200);
    expect(await search(coordinator, `/fhir/Task?output=HealthcareService/${serviceId}`)).toEqual([`Task/${a.id}`]);
    expect((await svc.http(gp, 'GET', '/fhir/Task?output=Patient/x')).status).toBe(400);

    expect(await search(gp, `/fhir/ServiceRequest?patient=${a.subject}`)).toEqual([`ServiceRequest/${a.id}`]);
    expect(await search(gp, `/fhir/ServiceRequest?patient=${a.subject},${b.subject}&status=active`)).toEqual(
      [`ServiceRequest/${a.id}`, `ServiceRequest/${b.id}`].sort(),
    );
    expect(await search(gp, `/fhir/ServiceRequest?patient=${b.subject}&status=completed,revoked`)).toEqual([]);
    expect(
      await search(
        coordinator,
        `/fhir/ServiceRequest?_id=${a.id}&requester:identifier=${SYSTEMS.organisation}|huisarts-beterschap`,
      ),
    ).toEqual([`ServiceRequest/${a.id}`]);
    expect(await search(coordinator, `/fhir/ServiceRequest?_id=${a.id}&requester=huisarts-elders`)).toEqual([]);
    expect(await search(otherGp, `/fhir/ServiceRequest?patient=${a.subject}`)).toEqual([]);
    expect((await svc.http(gp, 'GET', '/fhir/ServiceRequest?status=requested')).status).toBe(400);
  });

  it('searches Communications by recipient and sender besides part-of', async () => {
    const a = await started(); // accepted: a feedback moment
    const search = async (caller: TestCaller, query: string) => {
      const r = await svc.http(caller, 'GET', query);
      expect([query, r.status]).toEqual([query, 200]);
      return ((r.body.entry ?? []) as Json[]).filter((e) => e.search.mode === 'match').map((e) => e.resource);
    };
    const byPartOf = await search(gp, `/fhir/Communication?part-of=Task/${a.id}`);
    expect(byPartOf.length).toBeGreaterThan(0);
    const ofA = (list: Json[]) => list.filter((c) => c.partOf[0].reference === `Task/${a.id}`);
    expect(ofA(await search(gp, '/fhir/Communication?recipient=huisarts-beterschap&_count=100'))).toEqual(byPartOf);
    expect(
      ofA(
        await search(gp, `/fhir/Communication?sender:identifier=${SYSTEMS.organisation}|welzijn-beterstad&_count=100`),
      ),
    ).toEqual(byPartOf);
    expect(await search(gp, `/fhir/Communication?part-of=Task/${a.id}&sender=welzijn-elders`)).toEqual([]);
    expect(await search(otherGp, '/fhir/Communication?recipient=huisarts-beterschap')).toEqual([]);
    const none = await svc.http(gp, 'GET', '/fhir/Communication');
    expect([none.status, none.body.resourceType]).toEqual([400, 'OperationOutcome']);
  });
});
