// What key-users send is HSDS 3.0: the profile may come as attributes and wijk service areas (as the read
// API shows it), HSDS fields the map does not use are kept, and a field HSDS does not have is refused.
import { randomUUID } from 'node:crypto';
import { termId } from '../hsds/taxonomies';
import { coach, municipal, organizationBody, serviceBody } from '../testing/fixtures';
import { startHarness, type Harness } from '../testing/harness';

type Attribute = { taxonomy_term_id: string };

describe('HSDS bodies of the key-user API (real PostgreSQL)', () => {
  let h: Harness;
  let organizationId: string;
  beforeAll(async () => {
    h = await startHarness();
    organizationId = (await h.call(municipal, 'POST', '/organizations', organizationBody())).body.id;
  });
  afterAll(() => h.close());

  it('takes the profile as attributes and areas, keeps unused HSDS fields, and a PUT of what GET shows changes nothing', async () => {
    const { dimensions: _d, referral_reasons: _r, wijken: _w, ...plain } = serviceBody(organizationId);
    const created = await h.call(municipal, 'POST', '/services', {
      ...plain,
      funding: [{ id: randomUUID(), source: 'Gemeente' }],
      attributes: [{ id: randomUUID(), taxonomy_term_id: termId('dimension', 'zingeving') }],
      service_areas: [{ id: randomUUID(), name: 'Noord', extent_type: 'wijk', extent: 'Noord' }],
    });
    expect(created.status).toBe(201);
    const shown = (await h.call(coach, 'GET', `/services/${created.body.id}`)).body;
    expect([shown.dimensions, shown.wijken, shown.funding[0].source]).toEqual([['zingeving'], ['Noord'], 'Gemeente']);
    const ids = (shown.attributes as Attribute[]).map((a) => a.taxonomy_term_id);
    expect(new Set(ids).size).toBe(ids.length);

    const { stale: _s, municipality: _m, free_of_charge: _f, organization: _o, ...back } = shown;
    const put = await h.call(municipal, 'PUT', `/services/${created.body.id}`, { ...back, dimensions: ['meedoen'] });
    expect(put.status).toBe(200);
    const after = (await h.call(coach, 'GET', `/services/${created.body.id}`)).body;
    expect(after.dimensions).toEqual(['meedoen']); // the plain field counts over the attributes sent along
    expect(
      (after.attributes as Attribute[]).filter((a) => a.taxonomy_term_id === termId('dimension', 'zingeving')),
    ).toEqual([]);
    expect(after.service_areas).toHaveLength(shown.service_areas.length);
    const exported = (await h.call(coach, 'GET', '/exports/hsds?municipality=GM9999')).body.services;
    expect(exported.find((s: { id: string }) => s.id === created.body.id).last_modified).toBeUndefined();
  });

  it('refuses a field HSDS does not have, nested too', async () => {
    const typo = await h.call(municipal, 'POST', '/services', {
      ...serviceBody(organizationId),
      descripton: 'x',
      phones: [{ number: '0301234567', extention: 1 }],
    });
    expect(typo.status).toBe(422);
    expect(typo.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['descripton', 'phones[0].extention']);
  });
});
