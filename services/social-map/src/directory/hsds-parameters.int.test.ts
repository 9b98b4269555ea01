// Every parameter of the HSDS 3.0 API (schema/openapi.json of openreferral/specification 3.0) on every
// endpoint that has it, one test each, on a small map imported as an HSDS data set.
import { randomUUID } from 'node:crypto';
import { TAXONOMIES, termId } from '../hsds/taxonomies';
import { coach, locationBody, municipal, organizationBody, serviceBody } from '../testing/fixtures';
import { startHarness, type Harness } from '../testing/harness';

describe('HSDS 3.0 API parameters (real PostgreSQL)', () => {
  let h: Harness;
  const taxonomyId = randomUUID();
  const termIdForeign = randomUUID();
  const centre = locationBody({ name: 'Buurthuis Centrum', latitude: 52.0907, longitude: 5.1214 });
  (centre.addresses[0] as { postal_code: string }).postal_code = '3511 AB';
  // about 1.4 km east of the centre, same postcode area 3511
  const east = locationBody({ name: 'Wijkcentrum Oost', latitude: 52.0907, longitude: 5.142 });
  (east.addresses[0] as { postal_code: string }).postal_code = '3511 CD';
  const far = locationBody({ name: 'Dorpshuis', latitude: 52.3702, longitude: 4.8952 });
  (far.addresses[0] as { postal_code: string }).postal_code = '1012 AB';
  const organization = { ...organizationBody(), locations: [centre, east, far] };
  const other = organizationBody({ name: 'Sportvereniging' });
  const koor = serviceBody(organization.id, {
    name: 'Buurtkoor',
    dimensions: ['zingeving'],
    referral_reasons: ['eenzaamheid'],
    service_at_locations: [{ id: randomUUID(), location_id: centre.id }],
    attributes: [
      {
        id: randomUUID(),
        taxonomy_term_id: termIdForeign,
        taxonomy_term: { id: termIdForeign, name: 'Zang', description: 'Zingen', taxonomy_id: taxonomyId },
      },
    ],
  });
  const wandelen = serviceBody(organization.id, {
    name: 'Wandelgroep',
    dimensions: ['lichaamsfuncties'],
    referral_reasons: [],
    service_at_locations: [{ id: randomUUID(), location_id: east.id }],
  });
  const voetbal = serviceBody(other.id, {
    name: 'Walking football',
    dimensions: ['lichaamsfuncties'],
    referral_reasons: [],
    service_at_locations: [{ id: randomUUID(), location_id: far.id }],
  });
  let importedAt: string;

  beforeAll(async () => {
    h = await startHarness();
    const imported = await h.call(municipal, 'POST', '/imports/hsds', {
      organizations: [organization, other],
      services: [koor, wandelen, voetbal],
    });
    expect(imported.status).toBe(201);
    importedAt = new Date().toISOString();
  });
  afterAll(() => h.close());

  const get = async (path: string) => {
    const response = await h.call(coach, 'GET', path);
    expect([path, response.status]).toEqual([path, 200]);
    return response.body;
  };
  const names = (page: { contents: { name?: string; location?: { name: string } }[] }) =>
    page.contents.map((c) => c.name ?? c.location?.name).sort();
  const salNames = async (query: string) =>
    ((await get(`/service_at_locations?${query}`)).contents as { service_id: string }[])
      .map((s) => [koor, wandelen, voetbal].find((x) => x.id === s.service_id)!.name)
      .sort();

  it("GET / links this API's own OpenAPI document", async () => {
    const meta = await get('/');
    expect(meta.version).toBe('3.0');
    expect(new URL(meta.openapi_url).pathname).toBe('/openapi.json');
  });

  describe('/services', () => {
    it('search', async () => expect(names(await get('/services?search=koor'))).toEqual(['Buurtkoor']));
    it("taxonomy_term_id (a built-in and another system's term)", async () => {
      expect(names(await get(`/services?taxonomy_term_id=${termId('dimension', 'lichaamsfuncties')}`))).toEqual([
        'Walking football',
        'Wandelgroep',
      ]);
      expect(names(await get(`/services?taxonomy_term_id=${termIdForeign}`))).toEqual(['Buurtkoor']);
    });
    it("taxonomy_id (a built-in and another system's taxonomy)", async () => {
      expect(names(await get(`/services?taxonomy_id=${TAXONOMIES.reason.id}`))).toEqual(['Buurtkoor']);
      expect(names(await get(`/services?taxonomy_id=${taxonomyId}`))).toEqual(['Buurtkoor']);
    });
    it('organization_id', async () =>
      expect(names(await get(`/services?organization_id=${other.id}`))).toEqual(['Walking football']));
    it('modified_after', async () => {
      expect((await get(`/services?modified_after=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).total_items).toBe(3);
      expect((await get(`/services?modified_after=${encodeURIComponent('2999-01-01T00:00:00Z')}`)).total_items).toBe(0);
    });
    it('minimal: just id and last_modified', async () => {
      const page = await get('/services?minimal=true');
      expect(page.total_items).toBe(3);
      for (const item of page.contents) expect(Object.keys(item).sort()).toEqual(['id', 'last_modified']);
    });
    it('page and per_page', async () => {
      const first = await get('/services?per_page=2&page=1');
      const second = await get('/services?per_page=2&page=2');
      expect([first.size, first.total_pages, first.first_page, second.size, second.last_page]).toEqual([
        2,
        2,
        true,
        1,
        true,
      ]);
      expect(new Set([...first.contents, ...second.contents].map((s: { id: string }) => s.id)).size).toBe(3);
    });
    it('full and format=json are accepted (lists are always in full JSON)', async () =>
      expect((await get('/services?full=true&format=json')).total_items).toBe(3));
  });

  describe('/service_at_locations', () => {
    it('search', async () => expect(await salNames('search=koor')).toEqual(['Buurtkoor']));
    it('taxonomy_term_id', async () => {
      expect(await salNames(`taxonomy_term_id=${termId('dimension', 'zingeving')}`)).toEqual(['Buurtkoor']);
      expect(await salNames(`taxonomy_term_id=${termIdForeign}`)).toEqual(['Buurtkoor']);
    });
    it('taxonomy_id', async () => {
      expect(await salNames(`taxonomy_id=${TAXONOMIES.dimension.id}`)).toEqual([
        'Buurtkoor',
        'Walking football',
        'Wandelgroep',
      ]);
      expect(await salNames(`taxonomy_id=${taxonomyId}`)).toEqual(['Buurtkoor']);
    });
    it('organization_id', async () =>
      expect(await salNames(`organization_id=${organization.id}`)).toEqual(['Buurtkoor', 'Wandelgroep']));
    it('modified_after', async () => {
      expect(await salNames(`modified_after=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).toHaveLength(3);
      expect(
        await salNames(`modified_after=${encodeURIComponent(new Date(Date.parse(importedAt) + 60_000).toISOString())}`),
      ).toEqual([]);
    });
    it('postcode: services at a location with that postcode (or in its 4-digit area)', async () => {
      expect(await salNames('postcode=3511%20AB')).toEqual(['Buurtkoor']);
      expect(await salNames('postcode=3511')).toEqual(['Buurtkoor', 'Wandelgroep']);
    });
    it("proximity: metres from the centre of the postcode, by the locations' latitude and longitude", async () => {
      expect(await salNames('postcode=3511AB&proximity=500')).toEqual(['Buurtkoor']);
      expect(await salNames('postcode=3511AB&proximity=2000')).toEqual(['Buurtkoor', 'Wandelgroep']);
      expect(await salNames('postcode=3511AB&proximity=100000')).toEqual([
        'Buurtkoor',
        'Walking football',
        'Wandelgroep',
      ]);
      const lonely = await h.call(coach, 'GET', '/service_at_locations?proximity=500');
      expect([lonely.status, lonely.body.errors?.[0]?.path ?? lonely.body.detail]).toEqual([422, expect.anything()]);
      expect((await h.call(coach, 'GET', '/service_at_locations?postcode=9999ZZ&proximity=500')).status).toBe(422);
    });
    it('page and per_page', async () => {
      const page = await get('/service_at_locations?per_page=1&page=3');
      expect([page.size, page.total_items, page.total_pages, page.last_page]).toEqual([1, 3, 3, true]);
    });
  });

  describe('/organizations', () => {
    it('search, page and per_page', async () => {
      expect(names(await get('/organizations?search=sport'))).toEqual(['Sportvereniging']);
      expect((await get('/organizations?per_page=1&page=2')).size).toBe(1);
    });
    it('full_service on the list and on one organisation: its services in full', async () => {
      const one = await get(`/organizations/${organization.id}?full_service=true`);
      expect(one.services.map((s: { name: string }) => s.name).sort()).toEqual(['Buurtkoor', 'Wandelgroep']);
      expect(one.services[0].attributes.length).toBeGreaterThan(0);
      expect((await get(`/organizations/${organization.id}`)).services).toBeUndefined();
      const list = await get('/organizations?full_service=true&search=sport');
      expect(list.contents[0].services.map((s: { name: string }) => s.name)).toEqual(['Walking football']);
    });
  });

  describe('/taxonomies and /taxonomy_terms', () => {
    it('search, page and per_page', async () => {
      expect((await get('/taxonomies?search=positieve')).contents).toEqual([TAXONOMIES.dimension]);
      expect((await get('/taxonomies?per_page=1&page=2')).size).toBe(1);
      expect((await get('/taxonomy_terms?search=eenzaamheid')).total_items).toBe(1);
    });
    it('taxonomy_id, top_only and parent_id', async () => {
      expect((await get(`/taxonomy_terms?taxonomy_id=${TAXONOMIES.capacity.id}`)).total_items).toBe(3);
      expect((await get('/taxonomy_terms?top_only=true&per_page=200')).total_items).toBeGreaterThan(3);
      expect((await get(`/taxonomy_terms?parent_id=${randomUUID()}`)).total_items).toBe(0);
    });
  });
});
