// The patient's contact preference: sealed like the contact details, shown to the coach, and respected
// (gp-only: the platform asks the GP for contact; the coach does not call).
import { EXTENSIONS, SYSTEMS } from '../fhir/mapping';
import bundleExample from '../fhir/examples/transaction-bundle.json';
import { referByTwoCalls, serviceRequestFor } from '../fhir/testing/fixtures';
import {
  anna,
  coordinator,
  gp,
  referralBody,
  startReferralService,
  type ReferralServiceUnderTest,
} from '../testing/harness';

describe('contact preference (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    svc = await startReferralService({ env: { ...process.env, FHIR_BASE_URL: 'https://fhir.test.example/wor/fhir' } });
    await svc.agreement();
  });
  afterAll(() => svc.stop());

  const step = (caller: typeof gp, id: string, path: string, body: unknown, etag: string | null) =>
    svc.http(caller, 'POST', `/referrals/${id}/${path}`, body, etag ? { 'if-match': etag } : {});

  /** Submits with the preference, accepts, and makes anna the coach. */
  const referred = async (bsn: string, contactPreference?: string) => {
    const consentId = await svc.consentFor(bsn);
    const body = referralBody(consentId, bsn);
    const created = await svc.http(gp, 'POST', '/referrals', {
      ...body,
      patient: { ...body.patient, ...(contactPreference ? { contactPreference } : {}) },
    });
    expect(created.status).toBe(201);
    const id = created.body.referralId as string;
    const accepted = await step(coordinator, id, 'accept', {}, created.headers.get('etag'));
    expect(accepted.status).toBe(200);
    const assigned = await step(coordinator, id, 'coach', { coachId: anna.sub }, accepted.headers.get('etag'));
    expect(assigned.status).toBe(200);
    return { id, assigned };
  };

  const storedEvents = async (id: string) =>
    JSON.stringify(
      (await svc.pool.query(`SELECT type, data FROM events WHERE stream_id = $1`, [`referral-${id}`])).rows,
    );

  it('is sealed in the events and shown to the coach in the personal details', async () => {
    const { id } = await referred('100000010', 'sms');
    const stored = await storedEvents(id);
    expect(stored).not.toMatch(/contactPreference|"sms"/);

    const details = await svc.http(anna, 'GET', `/referrals/${id}/personal-details`);
    expect(details.status).toBe(200);
    expect(details.body.patient).toMatchObject({ contactPreference: 'sms', phone: '+31 6 12345678' });
  });

  it('an unknown preference is refused on submission with the field named', async () => {
    const bsn = '100000022';
    const consentId = await svc.consentFor(bsn);
    const body = referralBody(consentId, bsn);
    const refused = await svc.http(gp, 'POST', '/referrals', {
      ...body,
      patient: { ...body.patient, contactPreference: 'pigeon' },
    });
    expect(refused.status).toBe(422);
    expect(refused.contentType).toMatch(/problem\+json/);
    expect(JSON.stringify(refused.body.errors)).toContain('patient.contactPreference');
  });

  it('gp-only: the GP is asked for contact at acceptance and the coach does not call', async () => {
    const { id, assigned } = await referred('100000034', 'gp-only');
    expect(assigned.body.contactRequestedViaGpAt).toEqual(expect.any(String));
    expect(await storedEvents(id)).not.toContain('gp-only');

    // The GP hears of it as a feedback moment of its own.
    const feedback = await svc.http(gp, 'GET', `/referrals/${id}/feedback`);
    expect(feedback.body.feedback.map((f: { moment: string }) => f.moment)).toEqual(['acceptance', 'contact-request']);
    // The platform read the sealed preference for that decision under a logged access.
    const logged = await svc.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'AccessLogged' AND data->'resource'->>'type' = 'contact-preference' AND data->'resource'->>'id' = $1`,
      [id],
    );
    expect(logged.rows[0].n).toBe(1);

    // A call attempt is refused, naming the preference; the contact the GP arranged is recorded as reached.
    const call = await step(anna, id, 'contact-attempts', { reached: false }, assigned.headers.get('etag'));
    expect(call.status).toBe(409);
    expect(call.contentType).toMatch(/problem\+json/);
    expect(call.body.detail).toMatch(/gp-only/);
    const reached = await step(anna, id, 'contact-attempts', { reached: true }, assigned.headers.get('etag'));
    expect(reached.status).toBe(200);
    expect(reached.body.status).toBe('in-progress');
  });

  it('another preference (or none) asks the GP nothing and lets the coach call', async () => {
    for (const [bsn, preference] of [
      ['100000046', 'phone'],
      ['100000058', undefined],
    ] as const) {
      const { id, assigned } = await referred(bsn, preference);
      expect(assigned.body.contactRequestedViaGpAt).toBeNull();
      const feedback = await svc.http(gp, 'GET', `/referrals/${id}/feedback`);
      expect(feedback.body.feedback.map((f: { moment: string }) => f.moment)).toEqual(['acceptance']);
      const call = await step(anna, id, 'contact-attempts', { reached: false }, assigned.headers.get('etag'));
      expect(call.status).toBe(200);
    }
  });

  describe('FHIR: an extension on the contained Patient', () => {
    const withPreference = async (bsn: string, code: string) =>
      serviceRequestFor(bsn, await svc.consentFor(bsn), (sr) => {
        (sr.contained[0] as Record<string, unknown>).extension = [
          { url: EXTENSIONS.contactPreference, valueCoding: { system: SYSTEMS.contactPreference, code } },
        ];
      });

    it('POST /fhir/ServiceRequest carries it into the sealed contact details', async () => {
      const { id, sr: created, task } = await referByTwoCalls(svc, gp, await withPreference('100000071', 'email'));
      expect(await storedEvents(id)).not.toMatch(/contactPreference|"email"/);
      expect(JSON.stringify(created.body)).not.toContain(EXTENSIONS.contactPreference);
      const accepted = await step(coordinator, id, 'accept', {}, task.headers.get('etag'));
      await step(coordinator, id, 'coach', { coachId: anna.sub }, accepted.headers.get('etag'));
      const details = await svc.http(anna, 'GET', `/referrals/${id}/personal-details`);
      expect(details.body.patient.contactPreference).toBe('email');
    });

    it('a transaction carries it too, and gp-only is respected on acceptance', async () => {
      const bundle = JSON.parse(JSON.stringify(bundleExample)) as { entry: { resource: unknown }[] };
      bundle.entry[0]!.resource = await withPreference('100000095', 'gp-only');
      const created = await svc.http(gp, 'POST', '/fhir', bundle);
      expect(created.status).toBe(200);
      const id = created.body.entry[0].resource.id as string;
      const accepted = await step(coordinator, id, 'accept', {}, 'W/"0"');
      expect(accepted.body.contactRequestedViaGpAt).toEqual(expect.any(String));
    });

    it('an unknown code is an OperationOutcome naming the extension, and nothing is stored', async () => {
      const before = await svc.referralCount();
      const refused = await svc.http(gp, 'POST', '/fhir/ServiceRequest', await withPreference('100000083', 'pigeon'));
      expect(refused.status).toBe(422);
      expect(refused.body.resourceType).toBe('OperationOutcome');
      expect(JSON.stringify(refused.body.issue)).toContain('ServiceRequest.contained[0].extension[0].valueCoding.code');
      expect(await svc.referralCount()).toBe(before);
    });
  });
});
