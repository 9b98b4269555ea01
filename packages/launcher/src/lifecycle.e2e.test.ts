// End to end through Kafka, one process per service: a GP system refers, the consent service's facts
// reach the referral service as events, a coach works the referral from the queue to closure, the GP
// reads the feedback, reporting counts it, and the consent service keeps the access log.
import { createDevIssuer } from '@wor/service-kit';
import { eventually, servedDocumentValidator } from '@wor/test-support';
import { startDistributedPlatform, type DistributedPlatform } from './testing/distributed';
import { ensureAgreement, referralCount, type Caller } from './testing/thin-slice';

jest.setTimeout(120_000);

const issuer = createDevIssuer();
const gp: Caller = { sub: 'gp-system-lc', roles: ['gp-system'], org: 'huisarts-e2e' };
const coordinator: Caller = { sub: 'coordinator-lc', roles: ['coordinator'], org: 'welzijn-e2e' };
const coach: Caller = { sub: 'coach-lc', roles: ['coach'], org: 'welzijn-e2e' };
const officer: Caller = { sub: 'privacy-officer-lc', roles: ['privacy-officer'] };

// Every answer of the journey is checked against the OpenAPI document its service serves.
const documented = servedDocumentValidator();
const call = async (
  caller: Caller,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.sign(caller)}`, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  const contentType = response.headers.get('content-type') ?? '';
  await documented(url, { method, status: response.status, contentType, body: parsed });
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    body: parsed as Record<string, any>,
  };
};

const scores = (v: number) =>
  Object.fromEntries(
    [
      'lichaamsfuncties',
      'mentaal-welbevinden',
      'zingeving',
      'kwaliteit-van-leven',
      'meedoen',
      'dagelijks-functioneren',
    ].map((d) => [d, v]),
  );

describe('a referral from submission to closure, through Kafka', () => {
  let distributed: DistributedPlatform;

  beforeAll(async () => {
    distributed = await startDistributedPlatform('lc');
  });

  afterAll(() => distributed?.stop());

  it("is worked from the coach's queue to closure; every step is an event others see", async () => {
    const { urls } = distributed.platform;
    const bsn = '246813581';
    await ensureAgreement(urls);
    const consent = await call(gp, 'POST', `${urls.consent}/consents`, {
      patient: { bsn },
      recipientOrganisationId: 'welzijn-e2e',
      purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
      dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
      evidence: { method: 'signed', documentReference: 'doc-lc' },
    });
    expect(consent.status).toBe(201);
    const countedBefore = await referralCount(urls);

    const body = {
      consentId: consent.body.consentId,
      patient: {
        bsn,
        name: { given: 'Grietje', family: 'Lifecycle' },
        birthDate: '1948-06-01',
        sex: 'female',
        phone: '0622222222',
      },
      municipality: 'GM0001',
      practiceId: 'huisarts-e2e',
      recipientOrganisationId: 'welzijn-e2e',
      referrerRole: 'huisarts',
      reasons: ['eenzaamheid'],
    };
    // The referral service learns the consent and agreement from Kafka; submit once it has.
    let last: unknown;
    const submitted = await eventually(
      async () => {
        // One key for every retry: the 403s before consent arrives are not kept, the 201 is.
        const r = await call(gp, 'POST', `${urls.referral}/referrals`, body, { 'idempotency-key': 'lc-1' });
        last = r.body;
        return r.status === 201 ? r : undefined;
      },
      60_000,
      'consent and agreement to reach the referral service',
    ).catch((error) => {
      throw new Error(`${(error as Error).message}; last answer: ${JSON.stringify(last)}`);
    });
    const id = submitted.body.referralId as string;

    let r = await call(
      coordinator,
      'POST',
      `${urls.referral}/referrals/${id}/accept`,
      { feedbackMessage: 'Aangenomen.' },
      { 'if-match': submitted.etag! },
    );
    expect(r.status).toBe(200);
    r = await call(
      coordinator,
      'POST',
      `${urls.referral}/referrals/${id}/coach`,
      { coachId: 'coach-lc' },
      { 'if-match': r.etag! },
    );
    // The queue is a projection: it follows the referral's events within moments.
    await eventually(
      async () => {
        const queue = await call(coach, 'GET', `${urls.referral}/work-queues/mine`);
        return queue.body.items.some(
          (i: { referralId: string; status: string; overdue: boolean }) =>
            i.referralId === id && i.status === 'accepted' && !i.overdue,
        )
          ? true
          : undefined;
      },
      10_000,
      "the referral in the coach's queue",
    );

    const details = await call(coach, 'GET', `${urls.referral}/referrals/${id}/personal-details`);
    expect(details.status).toBe(200);
    expect(details.body.patient.name.family).toBe('Lifecycle');

    r = await call(
      coach,
      'POST',
      `${urls.referral}/referrals/${id}/contact-attempts`,
      { reached: true },
      { 'if-match': r.etag! },
    );
    expect(r.status).toBe(200);
    r = await call(
      coach,
      'POST',
      `${urls.referral}/referrals/${id}/intake`,
      {
        heldOn: new Date().toISOString().slice(0, 10),
        positiveHealth: scores(4),
        goals: [{ text: 'Weer zingen', baseline: -1 }],
      },
      { 'if-match': r.etag! },
    );
    expect(r.status).toBe(200);
    const goalId = r.body.intake.goals[0].goalId;
    r = await call(
      coach,
      'POST',
      `${urls.referral}/referrals/${id}/complete`,
      {
        outcome: 'goals-reached',
        positiveHealth: scores(6),
        gasScores: [{ goalId, score: 0 }],
        coachHours: 9,
        feedbackMessage: 'Afgerond.',
      },
      { 'if-match': r.etag! },
    );
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('completed');

    const feedback = await call(gp, 'GET', `${urls.referral}/referrals/${id}/feedback`);
    expect(feedback.body.feedback.map((f: { moment: string }) => f.moment)).toEqual([
      'acceptance',
      'intake',
      'closure',
    ]);

    // Reporting counted it from the integration events on Kafka.
    await eventually(
      async () => ((await referralCount(urls)) === countedBefore + 1 ? true : undefined),
      30_000,
      'the referral count',
    );
    // The consent service keeps the access log the referral service published.
    await eventually(
      async () => {
        const log = await call(officer, 'GET', `${urls.consent}/access-log?organisationId=welzijn-e2e`);
        return log.status === 200 && JSON.stringify(log.body).includes(id) ? true : undefined;
      },
      30_000,
      'the access log to reach the consent service',
    );
  });
});
