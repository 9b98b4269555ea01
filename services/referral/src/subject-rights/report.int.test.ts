import { randomUUID } from 'node:crypto';
import { Topics } from '@wor/contracts';
import { pseudonymise } from '@wor/privacy';
import { eventually } from '@wor/test-support';
import {
  anna,
  coordinator,
  gp,
  referralBody,
  startReferralService,
  type ReferralServiceUnderTest,
  type TestCaller,
} from '../testing/harness';

const officer: TestCaller = { sub: 'privacy-officer-1', roles: ['privacy-officer'] };
const subjectOf = (bsn: string) => pseudonymise(bsn, 'test-pseudonym-secret');
const scores = (v: number) => ({
  lichaamsfuncties: v,
  'mentaal-welbevinden': v,
  zingeving: v,
  'kwaliteit-van-leven': v,
  meedoen: v,
  'dagelijks-functioneren': v,
});

describe('the referral service part of the art. 15 report (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    svc = await startReferralService();
    await svc.agreement();
  });
  afterAll(() => svc.stop());

  const step = (caller: TestCaller, id: string, path: string, body: unknown, etag: string | null) =>
    svc.http(caller, 'POST', `/referrals/${id}/${path}`, body, etag ? { 'if-match': etag } : {});

  it('gives every referral of the subject with codes, status history, opened personal data and who accessed it; the read is logged', async () => {
    const bsn = '100000095';
    const consentId = await svc.consentFor(bsn);
    const created = await svc.http(gp, 'POST', '/referrals', referralBody(consentId, bsn));
    expect(created.status).toBe(201);
    const id = created.body.referralId as string;
    let r = await step(
      coordinator,
      id,
      'accept',
      { feedbackMessage: 'Welkom, we bellen u deze week.' },
      created.headers.get('etag'),
    );
    r = await step(coordinator, id, 'coach', { coachId: 'coach-anna' }, r.headers.get('etag'));
    r = await step(anna, id, 'contact-attempts', { reached: true }, r.headers.get('etag'));
    expect(r.status).toBe(200);
    r = await step(
      anna,
      id,
      'intake',
      {
        heldOn: '2026-11-20',
        positiveHealth: scores(4),
        goals: [{ text: 'Twee keer per week onder de mensen', baseline: -1 }],
      },
      r.headers.get('etag'),
    );
    expect(r.status).toBe(200);
    expect((await svc.http(anna, 'GET', `/referrals/${id}/personal-details`)).status).toBe(200);
    // Someone else's referral stays out of the report.
    const other = await svc.http(
      gp,
      'POST',
      '/referrals',
      referralBody(await svc.consentFor('100000113'), '100000113'),
    );
    expect(other.status).toBe(201);

    const report = await svc.http(officer, 'GET', `/subjects/${subjectOf(bsn)}/report`);
    expect(report.status).toBe(200);
    expect(report.headers.get('cache-control')).toBe('no-store');
    expect(report.body).toMatchObject({ service: 'referral', subjectId: subjectOf(bsn), erasure: { erasedAt: null } });
    expect(report.body.referrals).toHaveLength(1);
    const [referral] = report.body.referrals;
    expect(referral).toMatchObject({
      referralId: id,
      status: 'in-progress',
      reasons: ['eenzaamheid'],
      practiceId: 'huisarts-beterschap',
      recipientOrganisationId: 'welzijn-beterstad',
    });
    expect(referral.history.map((h: { type: string }) => h.type)).toEqual([
      'ReferralRequested',
      'ReferralAccepted',
      'FeedbackSent',
      'CoachAssigned',
      'ContactAttempted',
      'FirstContactMade',
      'IntakeHeld',
      'FeedbackSent',
    ]);
    expect(referral.history.every((h: { at: string }) => !Number.isNaN(Date.parse(h.at)))).toBe(true);
    expect(referral.personalData).toMatchObject({
      contact: { name: { given: 'Jan', family: 'Jansen' }, phone: '+31 6 12345678' },
      urgencyNote: 'Graag snel contact, woont alleen sinds kort.',
      goals: [{ baseline: -1, text: 'Twee keer per week onder de mensen' }],
      feedback: [
        { moment: 'acceptance', message: 'Welkom, we bellen u deze week.' },
        { moment: 'intake', message: null },
      ],
    });
    // Who accessed it when: the submission (C) and the coach's read of the personal details (R).
    const accesses = report.body.accessLog as { userId: string; action: string; accessedAt: string; purpose: string }[];
    expect(accesses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: 'gp-system-1', action: 'C', purpose: 'wor-referral' }),
        expect.objectContaining({ userId: 'coach-anna', action: 'R', purpose: 'wor-coaching' }),
      ]),
    );
    expect(JSON.stringify(report.body)).not.toContain('100000113');

    // The report itself is an access (NEN 7513), and shows up in the next one.
    const logged = await svc.pool.query(
      `SELECT data FROM events WHERE type = 'AccessLogged' AND data->>'subjectId' = $1 AND data->>'purpose' = 'subject-rights'`,
      [subjectOf(bsn)],
    );
    expect(logged.rows.map((row) => row.data)).toEqual([
      expect.objectContaining({
        action: 'R',
        role: 'privacy-officer',
        userId: 'privacy-officer-1',
        resource: { type: 'subject-access-report', id: subjectOf(bsn) },
      }),
    ]);
    const again = await svc.http(officer, 'GET', `/subjects/${subjectOf(bsn)}/report`);
    expect(again.body.accessLog).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: 'privacy-officer-1', purpose: 'subject-rights' })]),
    );
  });

  it('shows ERASED for personal data whose key was destroyed, and the erasure', async () => {
    const bsn = '100000101';
    const created = await svc.http(gp, 'POST', '/referrals', referralBody(await svc.consentFor(bsn), bsn));
    expect(created.status).toBe(201);
    await svc.publish(Topics.consent, {
      eventId: randomUUID(),
      type: 'SubjectErased',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      producer: 'consent',
      municipality: null,
      subjectId: subjectOf(bsn),
      data: { erasedAt: new Date().toISOString() },
    });
    const report = await eventually(
      async () => {
        const r = await svc.http(officer, 'GET', `/subjects/${subjectOf(bsn)}/report`);
        return r.body.erasure.erasedAt ? r : undefined;
      },
      10_000,
      'the erasure to reach the referral service',
    );
    expect(report.body.referrals[0].personalData).toMatchObject({
      contact: { erased: true },
      urgencyNote: { erased: true },
    });
    expect(JSON.stringify(report.body)).not.toMatch(/Jansen|12345678/);
    // The service's own erasure follow-up (a new KEK epoch) runs by itself, within its check interval.
    await eventually(
      async () => {
        const r = await svc.http(officer, 'GET', `/subjects/${subjectOf(bsn)}/report`);
        return r.body.erasure.followUp === 'done' ? true : undefined;
      },
      30_000,
      "the referral service's erasure follow-up",
    );
  });

  it('is for privacy officers only, and checks the subject id', async () => {
    const denied = () =>
      svc.pool.query(
        `SELECT data FROM events WHERE type = 'AccessLogged' AND data->>'outcome' = 'denied' AND data->'resource'->>'type' = 'subject-report'`,
      );
    const before = (await denied()).rows.length;
    expect((await svc.http(coordinator, 'GET', `/subjects/${subjectOf('100000095')}/report`)).status).toBe(403);
    // The refusal is in the access log, with who tried and why.
    const after = (await denied()).rows;
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)?.data).toMatchObject({
      userId: coordinator.sub,
      role: 'coordinator',
      action: 'R',
      subjectId: subjectOf('100000095'),
      reason: expect.stringMatching(/privacy-officer/),
    });
    expect((await svc.http(undefined, 'GET', `/subjects/${subjectOf('100000095')}/report`)).status).toBe(401);
    const bad = await svc.http(officer, 'GET', '/subjects/999999999/report');
    expect(bad.status).toBe(422);
    expect(bad.contentType).toContain('application/problem+json');
  });
});
