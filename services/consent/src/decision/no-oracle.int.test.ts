// No consent oracle: an access decision tells whether a person consented, so it is answered only to
// those entitled to ask. Everyone else gets one and the same refusal for every patient — with or
// without a consent, known or unknown — never a subject or consent id, and the attempt is logged.
import { randomUUID } from 'node:crypto';
import { createDevIssuer } from '@wor/service-kit';
import {
  agreementBody,
  consentBody,
  gp,
  officer,
  startConsentService,
  type ConsentServiceUnderTest,
  type TestCaller,
} from '../testing/harness';

const unrelatedPractice: TestCaller = { sub: 'gp-elders', roles: ['gp-system'], org: 'huisarts-elders' };
const recipientCoach: TestCaller = { sub: 'coach-anna', roles: ['coach'], org: 'welzijn-beterstad' };
const CONSENTED = '123456782';
const UNKNOWN = '987654329';

describe('access decisions are answered only to callers entitled to ask (real PostgreSQL)', () => {
  let svc: ConsentServiceUnderTest;
  let consentId: string;
  let subjectId: string;
  let agreementId: string;
  beforeAll(async () => {
    svc = await startConsentService();
    // The practice and the welfare organisation share for referrals (not for feedback).
    agreementId = randomUUID();
    await svc.http(officer, 'POST', '/agreements', agreementBody(agreementId, { purposes: ['wor-referral'] }));
    await svc.http(officer, 'POST', `/agreements/${agreementId}/activate`);
    const consent = await svc.http(gp, 'POST', '/consents', consentBody(CONSENTED));
    ({ consentId, subjectId } = consent.body as { consentId: string; subjectId: string });
  });
  afterAll(() => svc.stop());

  const question = (bsn: string, over: Record<string, unknown> = {}) => ({
    patient: { bsn },
    organisationId: 'welzijn-beterstad',
    partnerOrganisationId: 'huisarts-beterschap',
    purpose: 'wor-referral',
    dataCategory: 'contact-details',
    ...over,
  });
  const ask = (caller: TestCaller, body: Record<string, unknown>) =>
    svc.http(caller, 'POST', '/access-decisions', body);

  it.each([
    [
      'a practice unrelated to the patient, naming itself as partner',
      unrelatedPractice,
      { partnerOrganisationId: 'huisarts-elders' },
    ],
    ['a practice outside the question', unrelatedPractice, {}],
    ['a party asking for a purpose its agreement does not cover', gp, { purpose: 'wor-feedback' }],
    [
      'a party asking about itself as recipient (no sharing, no agreement)',
      gp,
      { organisationId: 'huisarts-beterschap' },
    ],
  ])('%s gets the same refusal for a consented and an unknown patient', async (_case, caller, over) => {
    const consented = await ask(caller, question(CONSENTED, over));
    const unknown = await ask(caller, question(UNKNOWN, over));
    const bySubject = await ask(caller, { ...question(CONSENTED, over), patient: undefined, subjectId });
    for (const answer of [consented, unknown, bySubject]) {
      expect(answer.status).toBe(403);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
      expect(answer.text).not.toContain(subjectId);
      expect(answer.text).not.toContain(consentId);
    }
    expect(unknown.text).toBe(consented.text);
    expect(bySubject.text).toBe(consented.text);
  });

  it('logs every refused question as a denied access about that patient', async () => {
    const before = await svc.pool.query(`SELECT max(seq) AS seq FROM access_log`);
    await ask(unrelatedPractice, question(CONSENTED, { partnerOrganisationId: 'huisarts-elders' }));
    const { rows } = await svc.pool.query(`SELECT entry FROM access_log WHERE seq > $1 ORDER BY seq`, [
      before.rows[0].seq ?? 0,
    ]);
    expect(rows.map((r) => r.entry)).toEqual([
      expect.objectContaining({
        subjectId,
        userId: 'gp-elders',
        organisationId: 'huisarts-elders',
        action: 'E',
        outcome: 'denied',
        resource: { type: 'access-decision', id: subjectId },
        reason: 'no active data-sharing agreement with welzijn-beterstad for purpose wor-referral',
        checks: expect.objectContaining({ authorisation: false }),
      }),
    ]);
  });

  it('still answers both parties of the agreement and the privacy officer', async () => {
    for (const caller of [gp, recipientCoach, officer]) {
      const consented = await ask(caller, question(CONSENTED));
      expect(consented.status).toBe(200);
      expect(consented.body).toMatchObject({
        subjectId,
        decision: { permitted: true, consentId, agreementId, checks: { consent: true, agreement: true } },
      });
      const unknown = await ask(caller, question(UNKNOWN));
      expect(unknown.body.decision).toMatchObject({ permitted: false, consentId: null, checks: { consent: false } });
    }
    // The privacy officer oversees sharing nobody agreed to as well.
    expect((await ask(officer, question(CONSENTED, { purpose: 'wor-feedback' }))).body.decision.checks).toEqual({
      consent: false,
      agreement: false,
    });
  });

  describe('the decision stream', () => {
    const streamUrl = (over: Record<string, string> = {}) =>
      `${svc.url}/access-decisions/stream?${new URLSearchParams({
        subjectId,
        organisationId: 'welzijn-beterstad',
        partnerOrganisationId: 'huisarts-beterschap',
        purpose: 'wor-referral',
        dataCategory: 'contact-details',
        intervalMs: '100',
        ...over,
      })}`;
    const open = async (caller: TestCaller, over: Record<string, string> = {}) =>
      fetch(streamUrl(over), { headers: { authorization: `Bearer ${await createDevIssuer().sign(caller)}` } });

    it('refuses the unentitled alike for every patient, and logs it', async () => {
      const consented = await open(unrelatedPractice, { partnerOrganisationId: 'huisarts-elders' });
      const unknown = await open(unrelatedPractice, {
        partnerOrganisationId: 'huisarts-elders',
        subjectId: `sub_${'0'.repeat(32)}`,
      });
      expect([consented.status, unknown.status]).toEqual([403, 403]);
      expect(await unknown.text()).toBe(await consented.text());
      const { rows } = await svc.pool.query(
        `SELECT entry FROM access_log WHERE entry->>'userId' = 'gp-elders' AND entry->'resource'->>'type' = 'access-decision-stream'`,
      );
      expect(rows.map((r) => r.entry.outcome)).toEqual(['denied', 'denied']);
    });

    it('ends, without a last decision, once the agreement that entitled the caller ends', async () => {
      const response = await open(gp);
      expect(response.status).toBe(200);
      const text = response.text();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await svc.http(officer, 'POST', `/agreements/${agreementId}/terminate`);
      const frames = (await text).trim().split('\n\n');
      expect(frames[0]).toMatch(/^event: decision\n/);
      expect(frames.at(-1)).toMatch(/^event: end\n/);
      expect(frames.filter((f) => f.startsWith('event: decision'))).toHaveLength(1);
    });
  });
});
