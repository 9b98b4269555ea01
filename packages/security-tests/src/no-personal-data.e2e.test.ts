// No personal data in logs, traces or metrics: the whole journey with distinctive seeded personal
// data (name, BSN, phone, e-mail, urgency note, goal text, feedback message), then every service's
// log output (at trace level), every recorded span and every service's /metrics are searched for it.
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { initTracing, type Tracing } from '@wor/service-kit';
import { eventually } from '@wor/test-support';
import { randomInt } from 'node:crypto';
import { call, type Platform, startPlatform } from './platform';
import { agreeAndConsent, callerFor, scores, submitReferral, type Seed } from './world';

jest.setTimeout(120_000);

/** A random BSN passing the elfproef, so it is as distinctive as it is valid. */
const randomBsn = (): string => {
  for (;;) {
    const digits = Array.from({ length: 9 }, () => randomInt(10));
    const sum = digits.slice(0, 8).reduce((s, d, i) => s + d * (9 - i), 0) - digits[8]!;
    if (digits[0] !== 0 && sum % 11 === 0) return digits.join('');
  }
};

const seed: Seed = {
  bsn: randomBsn(),
  given: 'Xylofoonia',
  family: 'Qwertyhoeven',
  phone: '0613579246',
  email: 'xylofoonia.qwertyhoeven@example.org',
  urgencyNote: 'Urgentie-kanarie: valt vaak in de badkamer',
};
const goalText = 'Doel-kanarie: weer dansen met Bep';
const feedbackMessage = 'Terugkoppeling-kanarie: afgerond naar tevredenheid';
const SEEDED = { ...seed, goalText, feedbackMessage };

describe('no personal data in logs, traces or metrics', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let platform: Platform;

  beforeAll(async () => {
    tracing = initTracing('wor-security-tests', { exporter });
    platform = await startPlatform({ logLevel: 'trace' });
  });

  afterAll(async () => {
    await platform?.stop();
    await tracing?.shutdown();
  });

  it('the journey from referral to FHIR read leaves none of the seeded values behind', async () => {
    const { urls } = platform;
    const gp = callerFor('gp-system', 'own');
    const coordinator = callerFor('coordinator', 'own');
    const coach = { ...callerFor('coach', 'own'), sub: 'coach-sec' };

    const { consentId } = await agreeAndConsent(platform, seed.bsn);
    const submitted = await submitReferral(platform, consentId, seed);
    const id = submitted.body.referralId as string;
    let r = await call(
      coordinator,
      'POST',
      `${urls.referral}/referrals/${id}/accept`,
      { feedbackMessage },
      { 'if-match': submitted.etag! },
    );
    expect(r.status).toBe(200);
    r = await call(
      coordinator,
      'POST',
      `${urls.referral}/referrals/${id}/coach`,
      { coachId: coach.sub },
      { 'if-match': r.etag! },
    );
    expect(r.status).toBe(200);
    const details = await call(coach, 'GET', `${urls.referral}/referrals/${id}/personal-details`);
    expect(details.status).toBe(200);
    expect(details.text).toContain(seed.family);
    r = await call(
      coach,
      'POST',
      `${urls.referral}/referrals/${id}/contact-attempts`,
      { reached: true },
      { 'if-match': r.etag! },
    );
    expect(r.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    r = await call(
      coach,
      'POST',
      `${urls.referral}/referrals/${id}/intake`,
      { heldOn: today, positiveHealth: scores(4), goals: [{ text: goalText, baseline: -1 }], feedbackMessage },
      { 'if-match': r.etag! },
    );
    expect(r.status).toBe(200);
    const goalId = r.body.intake.goals[0].goalId as string;
    r = await call(
      coach,
      'POST',
      `${urls.referral}/referrals/${id}/complete`,
      {
        outcome: 'goals-reached',
        positiveHealth: scores(6),
        gasScores: [{ goalId, score: 1 }],
        coachHours: 5,
        feedbackMessage,
      },
      { 'if-match': r.etag! },
    );
    expect(r.status).toBe(200);
    const feedback = await call(gp, 'GET', `${urls.referral}/fhir/Task/${id}/$feedback`);
    expect(feedback.status).toBe(200);
    expect(feedback.text).toContain('Terugkoppeling-kanarie');
    expect((await call(gp, 'GET', `${urls.referral}/fhir/ServiceRequest/${id}`)).status).toBe(200);
    // Let the chain finish its work (relays, consumers, the access log) before searching.
    await eventually(
      async () => {
        const counts = await call(
          callerFor('coordinator', 'own'),
          'GET',
          `${urls.reporting}/referral-counts?municipality=GM0001`,
        );
        return counts.status === 200 && JSON.stringify(counts.body).includes('"referrals":1') ? true : undefined;
      },
      30_000,
      'reporting to count the referral',
    );

    const logs = platform.logs();
    const spans = exporter.getFinishedSpans();
    const traces = JSON.stringify(
      spans.map((s) => ({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        status: s.status,
        links: s.links,
        resource: s.resource.attributes,
      })),
    );
    const metrics = Object.values(await platform.metrics()).join('\n');
    // The search looks where there is something to find.
    expect(logs).toContain('/referrals/:referralId/intake');
    // In one process under jest the maintained instrumentations cannot patch modules, so the spans
    // here are the platform's own (relay, consumers); the launcher's tracing e2e test searches the
    // spans of real service processes, HTTP and SQL included, for personal data as well.
    expect(spans.some((s) => s.name.endsWith(' publish'))).toBe(true);
    expect(metrics).toMatch(/http_request/);

    const found = (text: string) =>
      Object.entries(SEEDED)
        .filter(([, value]) => text.toLowerCase().includes(value.toLowerCase()))
        .map(([k]) => k);
    // The search finds the values where they belong: the personal details and the feedback the callers read.
    expect(found(details.text)).toEqual(expect.arrayContaining(['given', 'family', 'phone', 'email']));
    expect(found(feedback.text)).toContain('feedbackMessage');
    expect({ logs: found(logs), traces: found(traces), metrics: found(metrics) }).toEqual({
      logs: [],
      traces: [],
      metrics: [],
    });
  });
});
