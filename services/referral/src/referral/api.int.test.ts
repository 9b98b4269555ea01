import { randomUUID } from 'node:crypto';
import { bsnSequence, eventually } from '@wor/test-support';
import {
  anna,
  coordinator,
  elsewhere,
  gp,
  referralBody,
  startReferralService,
  type ReferralServiceUnderTest,
} from '../testing/harness';

const scores = (v: number) => ({
  lichaamsfuncties: v,
  'mentaal-welbevinden': v,
  zingeving: v,
  'kwaliteit-van-leven': v,
  meedoen: v,
  'dagelijks-functioneren': v,
});

describe('referral REST API (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    svc = await startReferralService();
    await svc.agreement();
  });
  afterAll(() => svc.stop());

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await svc.pool.query(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0].n);
  const referralEvents = (id: string) => count(`events WHERE stream_id = $1`, [`referral-${id}`]);
  const accessLog = (outcome: 'allowed' | 'denied', action?: string) =>
    count(
      `events WHERE type = 'AccessLogged' AND data->>'outcome' = $1 AND ($2::text IS NULL OR data->>'action' = $2)`,
      [outcome, action ?? null],
    );

  const submit = async (bsn: string, over: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const consentId = await svc.consentFor(bsn);
    return svc.http(gp, 'POST', '/referrals', referralBody(consentId, bsn, over), headers);
  };

  /** Takes a step with the ETag of the last response, as a client does. */
  const step = async (caller: typeof gp, referralId: string, path: string, body: unknown, etag: string | null) =>
    svc.http(caller, 'POST', `/referrals/${referralId}/${path}`, body, etag ? { 'if-match': etag } : {});

  it('a GP system refers and a coach works the referral to closure; the GP hears back at each moment', async () => {
    const created = await submit('100000137');
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/referrals/${created.body.referralId}`);
    expect(created.headers.get('etag')).toBe('W/"0"');
    expect(created.body).toMatchObject({ status: 'requested', reasons: ['eenzaamheid'], ageBand: '75+', sex: 'male' });
    expect(JSON.stringify(created.body)).not.toMatch(/Jansen|12345678|100000137/);
    // Each party is offered the steps it may take now.
    expect(created.body.allowedSteps).toEqual(['cancel', 'entered-in-error']);
    const id = created.body.referralId as string;
    expect((await svc.http(coordinator, 'GET', `/referrals/${id}`)).body.allowedSteps).toEqual([
      'accept',
      'reject',
      'cancel',
    ]);

    let r = await step(
      coordinator,
      id,
      'accept',
      { feedbackMessage: 'Welkom, we nemen deze week contact op.' },
      created.headers.get('etag'),
    );
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('accepted');
    expect(r.body.allowedSteps).toEqual(['coach', 'contact-attempts', 'hold', 'fail', 'cancel']);
    r = await step(coordinator, id, 'coach', { coachId: 'coach-anna' }, r.headers.get('etag'));
    expect(r.body.coachId).toBe('coach-anna');
    r = await step(anna, id, 'contact-attempts', { reached: false }, r.headers.get('etag'));
    r = await step(anna, id, 'contact-attempts', { reached: true }, r.headers.get('etag'));
    expect(r.body).toMatchObject({
      status: 'in-progress',
      contactAttempts: 2,
      unsuccessfulContactAttempts: 1,
      firstContactAt: expect.any(String),
    });

    // The queue is a projection; it follows within moments (see docs/referral.md, work queues).
    const inMyQueue = async (status?: string) =>
      ((await svc.http(anna, 'GET', '/work-queues/mine')).body.items as { referralId: string; status: string }[]).some(
        (i) => i.referralId === id && (!status || i.status === status),
      );
    await eventually(
      async () => ((await inMyQueue('in-progress')) ? true : undefined),
      10_000,
      'the referral in the queue',
    );

    r = await step(
      anna,
      id,
      'intake',
      {
        heldOn: new Date().toISOString().slice(0, 10),
        positiveHealth: scores(4),
        goals: [{ text: 'Twee keer per week onder de mensen', baseline: -1 }],
        feedbackMessage: 'Intake gehouden.',
      },
      r.headers.get('etag'),
    );
    expect(r.status).toBe(200);
    const goalId = r.body.intake.goals[0].goalId as string;
    const walking = await svc.publishService('Wandelgroep De Blijebuurt');
    await eventually(
      async () => {
        const linked = await step(anna, id, 'activities', { serviceId: walking }, r.headers.get('etag'));
        return linked.status === 200 ? (r = linked) : undefined;
      },
      10_000,
      'the social-map view to know the service',
    );
    expect(r.body.activities).toEqual([{ serviceId: walking, name: 'Wandelgroep De Blijebuurt' }]);

    r = await step(
      anna,
      id,
      'complete',
      {
        outcome: 'linked-to-activity',
        positiveHealth: scores(7),
        gasScores: [{ goalId, score: 1 }],
        coachHours: 8.5,
        feedbackMessage: 'Gaat wekelijks wandelen.',
      },
      r.headers.get('etag'),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'completed', closedAt: expect.any(String) });

    const feedback = await svc.http(gp, 'GET', `/referrals/${id}/feedback`);
    expect(feedback.status).toBe(200);
    expect(feedback.body.feedback.map((f: { moment: string; message: string }) => [f.moment, f.message])).toEqual([
      ['acceptance', 'Welkom, we nemen deze week contact op.'],
      ['intake', 'Intake gehouden.'],
      ['closure', 'Gaat wekelijks wandelen.'],
    ]);
    expect(feedback.body.feedback[2].summary).toMatchObject({
      status: 'completed',
      outcome: 'linked-to-activity',
      activities: [{ serviceId: walking }],
    });

    // Closed referrals leave the open queue.
    await eventually(
      async () => ((await inMyQueue()) ? undefined : true),
      10_000,
      'the closed referral to leave the queue',
    );
    // Personal data never went into the stream in clear.
    const stored = JSON.stringify(
      (await svc.pool.query(`SELECT data FROM events WHERE stream_id = $1`, [`referral-${id}`])).rows,
    );
    for (const secret of ['Jansen', '12345678', 'Welkom', 'onder de mensen', 'woont alleen'])
      expect(stored).not.toContain(secret);
  });

  /** Need-to-know: the coordinator accepts and makes anna the referral's coach, so she may open its details. */
  const assignAnna = async (created: { body: Record<string, unknown>; headers: Headers }) => {
    const id = created.body.referralId as string;
    const accepted = await step(coordinator, id, 'accept', {}, created.headers.get('etag'));
    const assigned = await step(coordinator, id, 'coach', { coachId: anna.sub }, accepted.headers.get('etag'));
    expect(assigned.status).toBe(200);
    return id;
  };

  it('a coach opens the personal data only under a permitted decision, and each opening is logged', async () => {
    const created = await submit('100000125');
    const id = await assignAnna(created);
    const allowedBefore = await accessLog('allowed', 'R');
    const details = await svc.http(anna, 'GET', `/referrals/${id}/personal-details`);
    expect(details.status).toBe(200);
    expect(details.headers.get('cache-control')).toBe('no-store');
    expect(details.body).toMatchObject({
      patient: { name: { given: 'Jan', family: 'Jansen' }, phone: '+31 6 12345678', birthDate: '1950-03-04' },
      urgencyNote: 'Graag snel contact, woont alleen sinds kort.',
    });
    expect(await accessLog('allowed', 'R')).toBe(allowedBefore + 1);

    // The GP system has no business with the coach's view; another organisation does not see it exist.
    expect((await svc.http(gp, 'GET', `/referrals/${id}/personal-details`)).status).toBe(403);
    expect((await svc.http(elsewhere, 'GET', `/referrals/${id}/personal-details`)).status).toBe(404);
    expect((await svc.http(elsewhere, 'GET', `/referrals/${id}`)).status).toBe(404);
  });

  it('after the consent is withdrawn the coach can no longer open the personal data, and the denial is logged', async () => {
    const bsn = '100000083';
    const consentId = await svc.consentFor(bsn);
    const created = await svc.http(gp, 'POST', '/referrals', referralBody(consentId, bsn));
    const id = await assignAnna(created);
    expect((await svc.http(anna, 'GET', `/referrals/${id}/personal-details`)).status).toBe(200);

    await svc.withdraw(bsn, consentId);
    const deniedBefore = await accessLog('denied', 'R');
    const refused = await svc.http(anna, 'GET', `/referrals/${id}/personal-details`);
    expect(refused.status).toBe(403);
    expect(refused.contentType).toMatch(/problem\+json/);
    expect(refused.body.detail).toMatch(/withdrawn/);
    expect(refused.text).not.toMatch(/Jansen/);
    expect(await accessLog('denied', 'R')).toBe(deniedBefore + 1);
    // The codes stay visible: the referral itself is not personal data.
    expect((await svc.http(anna, 'GET', `/referrals/${id}`)).status).toBe(200);
  });

  it('a retry with the same Idempotency-Key returns the first response and creates nothing', async () => {
    const bsn = '100000071';
    const consentId = await svc.consentFor(bsn);
    const key = randomUUID();
    const first = await svc.http(gp, 'POST', '/referrals', referralBody(consentId, bsn), { 'idempotency-key': key });
    const retry = await svc.http(gp, 'POST', '/referrals', referralBody(consentId, bsn), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await referralEvents(first.body.referralId)).toBe(1);
    expect(await count(`events WHERE type = 'ReferralRequested' AND data->>'consentId' = $1`, [consentId])).toBe(1);

    // Steps are idempotent too: the retried accept replays instead of failing on its stale If-Match.
    const stepKey = randomUUID();
    const accept = () =>
      svc.http(
        coordinator,
        'POST',
        `/referrals/${first.body.referralId}/accept`,
        {},
        { 'if-match': 'W/"0"', 'idempotency-key': stepKey },
      );
    const [a, b] = [await accept(), await accept()];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await referralEvents(first.body.referralId)).toBe(3); // requested, accepted, feedback
  });

  it('every change needs If-Match; a stale version is 412 and never a lost update', async () => {
    const created = await submit('100000058');
    const id = created.body.referralId as string;
    const missing = await step(coordinator, id, 'accept', {}, null);
    expect(missing.status).toBe(428);
    expect(missing.contentType).toMatch(/problem\+json/);

    const accepted = await step(coordinator, id, 'accept', {}, 'W/"0"');
    expect(accepted.status).toBe(200);
    const stale = await step(coordinator, id, 'coach', { coachId: 'coach-anna' }, 'W/"0"');
    expect(stale.status).toBe(412);
    expect(stale.body.detail).toMatch(/version 0.*version 2/);

    // Two coordinators racing on one version: one wins, the other is told to reload.
    const etag = accepted.headers.get('etag');
    const race = await Promise.all([
      step(coordinator, id, 'coach', { coachId: 'coach-anna' }, etag),
      step(coordinator, id, 'coach', { coachId: 'coach-bram' }, etag),
    ]);
    expect(race.map((x) => x.status).sort()).toEqual([200, 412]);
    expect(await referralEvents(id)).toBe(4);
  });

  it('a step without an expected version (no If-Match) that loses a race is decided again on fresh state', async () => {
    const created = await submit(bsnSequence(100_000_300)());
    const id = created.body.referralId as string;
    const accepted = await step(coordinator, id, 'accept', {}, created.headers.get('etag'));
    await step(coordinator, id, 'coach', { coachId: 'coach-anna' }, accepted.headers.get('etag'));
    const actor = {
      userId: 'coach-anna',
      role: 'coach',
      organisationId: 'welzijn-beterstad',
      metadata: { actor: 'coach-anna' },
    };
    const attempt = () =>
      svc.referrals.act(id, undefined, actor, async () => ({
        type: 'RecordContactAttempt',
        data: { reached: false, attemptedAt: new Date() },
      }));
    const results = await Promise.all([attempt(), attempt(), attempt()]);
    // All three land, each counted on top of the one before: none decided on a state that was gone.
    expect(results.map((x: { version: number }) => x.version).sort()).toEqual([4, 5, 6]);
    expect(results.map((x: { state: { contactAttempts: number } }) => x.state.contactAttempts).sort()).toEqual([
      1, 2, 3,
    ]);
    const { rows } = await svc.pool.query(
      `SELECT data->>'attemptNumber' AS n FROM events WHERE stream_id = $1 AND type = 'ContactAttempted' ORDER BY 1`,
      [`referral-${id}`],
    );
    expect(rows.map((row) => row.n)).toEqual(['1', '2', '3']);
  });

  it('a step not allowed in the status is 409 naming the status', async () => {
    const created = await submit('100000046');
    const id = created.body.referralId as string;
    const early = await step(
      anna,
      id,
      'intake',
      { heldOn: '2026-11-20', positiveHealth: scores(5), goals: [] },
      created.headers.get('etag'),
    );
    expect(early.status).toBe(409);
    expect(early.body.detail).toBe(
      'Cannot record an intake on a referral that is requested; allowed when in-progress.',
    );
  });

  it('bad input is 422 with the field paths, and nothing is stored', async () => {
    const before = await count('events');
    const bad = await svc.http(gp, 'POST', '/referrals', {
      ...referralBody('nope', '12'),
      reasons: [],
      municipality: 'Beterstad',
      extra: 1,
    });
    expect(bad.status).toBe(422);
    expect(bad.contentType).toMatch(/problem\+json/);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['consentId', 'patient.bsn', 'reasons', 'municipality', '']),
    );

    const created = await submit('100000034');
    const afterSubmit = await count('events');
    const id = created.body.referralId as string;
    const badStep = await step(coordinator, id, 'reject', { reason: 'too-busy' }, created.headers.get('etag'));
    expect(badStep.status).toBe(422);
    expect(badStep.body.errors[0].path).toBe('reason');
    expect(await count('events')).toBe(afterSubmit);
    expect(before).toBeLessThan(afterSubmit);
  });

  it('a referral without an active consent for that recipient is refused with the reason, and only the refusal is logged', async () => {
    const bsn = '100000022';
    const consentId = await svc.consentFor(bsn);
    const before = await count(`events WHERE stream_id LIKE 'referral-%'`);
    const refused = await svc.http(
      gp,
      'POST',
      '/referrals',
      referralBody(consentId, bsn, { recipientOrganisationId: 'welzijn-elders' }),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/recipient welzijn-elders/);
    const unknown = await svc.http(gp, 'POST', '/referrals', referralBody(randomUUID(), bsn));
    expect(unknown.status).toBe(403);
    expect(unknown.body.detail).toMatch(/unknown/);
    expect(await count(`events WHERE stream_id LIKE 'referral-%'`)).toBe(before);
  });

  it('a retired social-map service cannot be linked', async () => {
    const created = await submit('100000009');
    const id = created.body.referralId as string;
    let r = await step(coordinator, id, 'accept', {}, created.headers.get('etag'));
    r = await step(coordinator, id, 'coach', { coachId: 'coach-anna' }, r.headers.get('etag'));
    r = await step(anna, id, 'contact-attempts', { reached: true }, r.headers.get('etag'));
    const choir = await svc.publishService('Buurtkoor');
    await svc.retireService(choir);
    const refused = await eventually(
      async () => {
        const x = await step(anna, id, 'activities', { serviceId: choir }, r.headers.get('etag'));
        return /no longer active/.test(String(x.body?.detail)) ? x : undefined;
      },
      10_000,
      'the retirement to reach the referral service',
    );
    expect(refused.status).toBe(422);
  });

  it('only the coordinator assigns others; a coach can take a referral on', async () => {
    const created = await submit('100000010');
    const id = created.body.referralId as string;
    const r = await step(coordinator, id, 'accept', {}, created.headers.get('etag'));
    expect((await step(anna, id, 'coach', { coachId: 'coach-bram' }, r.headers.get('etag'))).status).toBe(403);
    expect((await step(anna, id, 'coach', { coachId: 'coach-anna' }, r.headers.get('etag'))).status).toBe(200);
  });
});
