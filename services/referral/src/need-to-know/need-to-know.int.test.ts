// Issue 16 item 3: need-to-know for a client's personal details, over HTTP with a real PostgreSQL.
import {
  anna,
  coordinator,
  gp,
  referralBody,
  startReferralService,
  type ReferralServiceUnderTest,
} from '../testing/harness';

const bram = { sub: 'coach-bram', roles: ['coach' as const], org: 'welzijn-beterstad' };
const otherCoordinator = { sub: 'coordinator-elders', roles: ['coordinator' as const], org: 'welzijn-elders' };

describe('need-to-know for personal details (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  let id: string;
  beforeAll(async () => {
    svc = await startReferralService();
    await svc.agreement();
    const bsn = '100000162';
    const created = await svc.http(gp, 'POST', '/referrals', referralBody(await svc.consentFor(bsn), bsn));
    id = created.body.referralId as string;
    const step = (path: string, body: unknown, etag: string | null) =>
      svc.http(coordinator, 'POST', `/referrals/${id}/${path}`, body, { 'if-match': etag ?? '' });
    const accepted = await step('accept', {}, created.headers.get('etag'));
    expect((await step('coach', { coachId: anna.sub }, accepted.headers.get('etag'))).status).toBe(200);
  });
  afterAll(() => svc.stop());

  const lastEntry = async (userId: string) =>
    (
      await svc.pool.query(
        `SELECT data FROM events WHERE type = 'AccessLogged' AND data->>'userId' = $1 AND data->'resource'->>'id' = $2
         ORDER BY global_position DESC LIMIT 1`,
        [userId, id],
      )
    ).rows[0]?.data as Record<string, unknown> | undefined;
  const details = (caller: typeof anna) => svc.http(caller, 'GET', `/referrals/${id}/personal-details`);

  it('the assigned coach and the coordinator read; another coach of the organisation gets 403, logged as denied', async () => {
    expect((await details(anna)).status).toBe(200);
    expect((await details(coordinator)).status).toBe(200);
    const refused = await details(bram);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/declare a takeover/);
    expect(refused.text).not.toMatch(/Jansen/);
    expect(await lastEntry(bram.sub)).toMatchObject({
      outcome: 'denied',
      reason: "need-to-know: not the referral's coach",
      checks: { emergencyAccess: false },
    });
  });

  it('another coach who declares a takeover reads, logged with emergencyAccess true and the reason', async () => {
    const path = `/referrals/${id}/personal-details/declared-read`;
    const missing = await svc.http(bram, 'POST', path, {});
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['reason']);
    const read = await svc.http(bram, 'POST', path, { reason: 'vervanging' });
    expect(read.status).toBe(200);
    expect(read.headers.get('cache-control')).toBe('no-store');
    expect(read.body.patient.name.family).toBe('Jansen');
    expect(await lastEntry(bram.sub)).toMatchObject({
      outcome: 'allowed',
      action: 'R',
      reason: 'declared takeover: vervanging',
      checks: { emergencyAccess: true, consent: true, agreement: true },
    });
  });

  it("is a setting per organisation, kept by its coordinators: 'organisation' lets every coach read", async () => {
    const settings = `/organisations/welzijn-beterstad/settings`;
    expect((await svc.http(coordinator, 'GET', settings)).body).toEqual({
      organisationId: 'welzijn-beterstad',
      personalDetails: 'need-to-know',
    });
    expect((await svc.http(anna, 'PUT', settings, { personalDetails: 'organisation' })).status).toBe(403);
    expect((await svc.http(otherCoordinator, 'PUT', settings, { personalDetails: 'organisation' })).status).toBe(403);
    expect((await svc.http(coordinator, 'PUT', settings, { personalDetails: 'everyone' })).status).toBe(422);
    const set = await svc.http(coordinator, 'PUT', settings, { personalDetails: 'organisation' });
    expect(set.status).toBe(200);
    expect(set.body.personalDetails).toBe('organisation');
    expect((await details(bram)).status).toBe(200);
    expect((await svc.http(coordinator, 'PUT', settings, { personalDetails: 'need-to-know' })).status).toBe(200);
    expect((await details(bram)).status).toBe(403);
  });
});
