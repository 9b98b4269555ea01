// Who changes a municipality's map, through the HTTP API on real PostgreSQL.
import { colleague, coach, municipal, organizationBody, otherMunicipality, serviceBody } from '../testing/fixtures';
import { startHarness, type Harness } from '../testing/harness';

describe('key-user permissions (real PostgreSQL)', () => {
  let h: Harness;
  let organizationId: string;
  let serviceId: string;

  beforeAll(async () => {
    h = await startHarness();
    const org = await h.call(municipal, 'POST', '/organizations', organizationBody());
    expect(org.status).toBe(201);
    organizationId = org.body.id;
    const service = await h.call(municipal, 'POST', '/services', serviceBody(organizationId));
    expect(service.status).toBe(201);
    serviceId = service.body.id;
  });
  afterAll(() => h.close());

  const eventCount = async () => Number((await h.pool.query('SELECT count(*) FROM events')).rows[0].count);

  it("the municipality's own key-user changes its map", async () => {
    const capacity = await h.call(municipal, 'POST', `/services/${serviceId}/capacity`, { capacity_status: 'limited' });
    expect(capacity.status).toBe(200);
    expect(capacity.body.changed).toEqual(['CapacityChanged']);
  });

  it('a key-user of another municipality may not, even with a municipal account; nothing is stored', async () => {
    const before = await eventCount();
    const refused = await h.call(otherMunicipality, 'POST', `/services/${serviceId}/capacity`, {
      capacity_status: 'full',
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(refused.body.detail).toMatch(/own municipality/);
    expect(
      (await h.call(otherMunicipality, 'PUT', `/services/${serviceId}`, serviceBody(organizationId, { id: serviceId })))
        .status,
    ).toBe(403);
    expect((await h.call(otherMunicipality, 'POST', `/services/${serviceId}/retire`)).status).toBe(403);
    // publishing under another municipality's organisation is refused as well
    const foreign = await h.call(otherMunicipality, 'POST', '/services', serviceBody(organizationId));
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ path: 'organization_id' })]);
    expect(await eventCount()).toBe(before);
  });

  it('a colleague key-user may edit only while appointed by the municipal key-user', async () => {
    const notYet = await h.call(colleague, 'POST', `/services/${serviceId}/review`);
    expect(notYet.status).toBe(403);
    expect(notYet.body.detail).toMatch(/not \(or no longer\) appointed/);

    // a colleague cannot appoint anyone, not even themselves
    expect((await h.call(colleague, 'POST', '/key-users', { key_user_id: colleague.sub })).status).toBe(403);

    const appointed = await h.call(municipal, 'POST', '/key-users', { key_user_id: colleague.sub });
    expect(appointed.status).toBe(201);
    expect((await h.call(colleague, 'POST', `/services/${serviceId}/review`)).status).toBe(200);
    const list = await h.call(colleague, 'GET', '/key-users');
    expect(list.body.key_users).toEqual([
      expect.objectContaining({ key_user_id: colleague.sub, appointed_by: municipal.sub }),
    ]);

    // and the colleague still cannot revoke
    expect((await h.call(colleague, 'DELETE', `/key-users/${colleague.sub}`)).status).toBe(403);
    const revoked = await h.call(municipal, 'DELETE', `/key-users/${colleague.sub}`);
    expect(revoked.status).toBe(200);

    const before = await eventCount();
    const afterRevoke = await h.call(colleague, 'POST', `/services/${serviceId}/capacity`, { capacity_status: 'full' });
    expect(afterRevoke.status).toBe(403);
    expect((await h.call(colleague, 'POST', '/services', serviceBody(organizationId))).status).toBe(403);
    expect(await eventCount()).toBe(before);
  });

  it('a colleague appointed in one municipality has no say in another', async () => {
    const elsewhere = { ...colleague, municipality: 'GM0001' };
    await h.call(municipal, 'POST', '/key-users', { key_user_id: colleague.sub });
    expect((await h.call(elsewhere, 'POST', `/services/${serviceId}/review`)).status).toBe(403);
    await h.call(municipal, 'DELETE', `/key-users/${colleague.sub}`);
  });

  it('coaches read but never write', async () => {
    expect((await h.call(coach, 'GET', `/services/${serviceId}`)).status).toBe(200);
    expect((await h.call(coach, 'POST', '/services', serviceBody(organizationId))).status).toBe(403);
    expect((await h.call(coach, 'GET', `/services/${serviceId}/history`)).status).toBe(403);
    expect((await h.call(undefined, 'GET', '/services')).status).toBe(401);
  });

  it('a stale If-Match is 412 and changes nothing', async () => {
    const current = await h.call(coach, 'GET', `/services/${serviceId}`);
    const version = current.headers.get('etag');
    expect(version).toMatch(/^"\d+"$/);
    const ok = await h.call(
      municipal,
      'POST',
      `/services/${serviceId}/capacity`,
      { capacity_status: 'available' },
      { 'if-match': version! },
    );
    expect(ok.status).toBe(200);
    const stale = await h.call(
      municipal,
      'POST',
      `/services/${serviceId}/capacity`,
      { capacity_status: 'full' },
      { 'if-match': version! },
    );
    expect(stale.status).toBe(412);
  });
});
