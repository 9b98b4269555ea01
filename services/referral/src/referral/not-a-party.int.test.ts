// Issue 16 finding 8: a request by an organisation that is no party to a real referral gets the very
// 404 an unknown id gets, and is logged as a denied access with the reason "not a party".
import { randomUUID } from 'node:crypto';
import { elsewhere, gp, referralBody, startReferralService, type ReferralServiceUnderTest } from '../testing/harness';

describe('probes on another organisation’s referral (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  let referralId: string;
  beforeAll(async () => {
    svc = await startReferralService();
    await svc.agreement();
    const bsn = '100000149';
    const created = await svc.http(gp, 'POST', '/referrals', referralBody(await svc.consentFor(bsn), bsn));
    expect(created.status).toBe(201);
    referralId = created.body.referralId as string;
  });
  afterAll(() => svc.stop());

  const probes = async (id: string) => {
    const { rows } = await svc.pool.query(
      `SELECT data FROM events WHERE type = 'AccessLogged' AND data->>'outcome' = 'denied'
         AND data->'resource'->>'id' = $1 AND data->>'userId' = $2`,
      [id, elsewhere.sub],
    );
    return rows.map((r) => r.data as Record<string, unknown>);
  };
  const strip = (r: Awaited<ReturnType<ReferralServiceUnderTest['http']>>) => ({ status: r.status, body: r.body });

  /** A step needs the version the caller saw (If-Match); a prober sends one too. */
  const send = (method: string, url: string) =>
    method === 'POST'
      ? svc.http(elsewhere, method, url, {}, { 'if-match': 'W/"0"' })
      : svc.http(elsewhere, method, url);

  it.each([
    ['GET', '', 'R'],
    ['GET', '/personal-details', 'R'],
    ['GET', '/feedback', 'R'],
    ['POST', '/accept', 'U'],
  ])('%s /referrals/{id}%s answers as for an unknown id and logs "not a party"', async (method, path, action) => {
    const before = (await probes(referralId)).length;
    const real = await send(method, `/referrals/${referralId}${path}`);
    const unknown = await send(method, `/referrals/${randomUUID()}${path}`);
    expect(strip(real)).toEqual(strip(unknown));
    expect(real.status).toBe(404);
    const logged = await probes(referralId);
    expect(logged).toHaveLength(before + 1);
    expect(logged.at(-1)).toMatchObject({
      action,
      reason: 'not a party',
      organisationId: elsewhere.org,
      resource: { type: 'referral', id: referralId },
      checks: { authorisation: false, emergencyAccess: false },
    });
  });

  it('an unknown id leaves no entry (there is no one it could be about)', async () => {
    const id = randomUUID();
    await svc.http(elsewhere, 'GET', `/referrals/${id}`);
    expect(await probes(id)).toEqual([]);
  });
});
