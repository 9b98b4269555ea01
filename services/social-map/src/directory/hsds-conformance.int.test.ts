// Every read endpoint answers in HSDS 3.0 shape: validated against the schemas in hsds/schemas.ts,
// written from the Open Referral 3.0 JSON schemas.
import type { z } from 'zod';
import {
  OrganizationSchema,
  LocationSchema,
  PageSchema,
  ServiceAtLocationSchema,
  ServiceSchema,
  TaxonomySchema,
  TaxonomyTermSchema,
} from '../hsds/schemas';
import { coach, locationBody, municipal, organizationBody, serviceBody } from '../testing/fixtures';
import { startHarness, type Harness } from '../testing/harness';

const conforms = (schema: z.ZodType, body: unknown) => {
  const result = schema.safeParse(body);
  expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
};

describe('HSDS 3.0 conformance of the read API (real PostgreSQL)', () => {
  let h: Harness;
  let organizationId: string;
  let locationId: string;
  let serviceId: string;

  beforeAll(async () => {
    h = await startHarness();
    organizationId = (
      await h.call(
        municipal,
        'POST',
        '/organizations',
        organizationBody({ contacts: [{ department: 'Receptie', email: 'receptie@welzijnbeterstad.example' }] }),
      )
    ).body.id;
    const location = await h.call(municipal, 'POST', `/organizations/${organizationId}/locations`, locationBody());
    expect(location.status).toBe(201);
    locationId = location.body.id;
    const service = await h.call(
      municipal,
      'POST',
      '/services',
      serviceBody(organizationId, {
        service_at_locations: [{ location_id: locationId, description: 'In de grote zaal' }],
      }),
    );
    expect(service.status).toBe(201);
    serviceId = service.body.id;
  });
  afterAll(() => h.close());

  const get = async (path: string) => {
    const response = await h.call(coach, 'GET', path);
    expect(response.status).toBe(200);
    return response.body;
  };

  it('/services and /services/{id}', async () => {
    const page = await get('/services');
    conforms(PageSchema(ServiceSchema), page);
    expect(page.total_items).toBe(1);
    const service = await get(`/services/${serviceId}`);
    conforms(ServiceSchema, service);
    expect(service).toMatchObject({
      id: serviceId,
      organization_id: organizationId,
      status: 'active',
      organization: { id: organizationId, name: 'Welzijn Beterstad' },
      service_at_locations: [{ location_id: locationId, location: { id: locationId, location_type: 'physical' } }],
      service_areas: [
        expect.objectContaining({ extent: 'GM9999' }),
        expect.objectContaining({ name: 'De Blijebuurt', extent_type: 'wijk' }),
      ],
      cost_options: [expect.objectContaining({ amount: 0, service_id: serviceId })],
      free_of_charge: true,
      capacity_status: 'available',
      stale: false,
    });
    // the dimensions and reasons are attributes linking the taxonomy terms
    const codes = (service.attributes as { value: string; taxonomy_term: { taxonomy: string } }[]).map(
      (a) => `${a.taxonomy_term.taxonomy}:${a.value}`,
    );
    expect(codes).toEqual([
      'Positieve Gezondheid:lichaamsfuncties',
      'Positieve Gezondheid:meedoen',
      'Verwijsreden:eenzaamheid',
      'Verwijsreden:leefstijl-bewegen',
      'Capaciteit:available',
    ]);
  });

  it('/organizations and /organizations/{id}', async () => {
    conforms(PageSchema(OrganizationSchema), await get('/organizations'));
    const organization = await get(`/organizations/${organizationId}`);
    conforms(OrganizationSchema, organization);
    expect(organization.locations).toEqual([expect.objectContaining({ id: locationId })]);
  });

  it('/locations and /locations/{id}', async () => {
    conforms(PageSchema(LocationSchema), await get('/locations'));
    const location = await get(`/locations/${locationId}`);
    conforms(LocationSchema, location);
    expect(location.addresses[0]).toMatchObject({
      address_1: 'Zonnelaan 1',
      postal_code: '3500 AA',
      location_id: locationId,
    });
  });

  it('/service_at_locations and /service_at_locations/{id}', async () => {
    const page = await get('/service_at_locations');
    conforms(PageSchema(ServiceAtLocationSchema), page);
    expect(page.total_items).toBe(1);
    conforms(ServiceAtLocationSchema, await get(`/service_at_locations/${page.contents[0].id}`));
  });

  it('/taxonomies and /taxonomy_terms', async () => {
    const taxonomies = await get('/taxonomies');
    conforms(PageSchema(TaxonomySchema), taxonomies);
    expect(taxonomies.contents.map((t: { name: string }) => t.name)).toEqual([
      'Positieve Gezondheid',
      'Verwijsreden',
      'Capaciteit',
    ]);
    const terms = await get(`/taxonomy_terms?taxonomy_id=${taxonomies.contents[0].id}`);
    conforms(PageSchema(TaxonomyTermSchema), terms);
    expect(terms.total_items).toBe(6);
    conforms(TaxonomySchema, await get(`/taxonomies/${taxonomies.contents[0].id}`));
    conforms(TaxonomyTermSchema, await get(`/taxonomy_terms/${terms.contents[0].id}`));
  });

  it('the schemas catch what is not HSDS (the check itself works)', () => {
    expect(ServiceSchema.safeParse({ id: serviceId, name: 'x', status: 'open' }).success).toBe(false);
    expect(ServiceSchema.safeParse({ id: serviceId, name: 'x', status: 'active', phone_numbers: [] }).success).toBe(
      false,
    );
    expect(ServiceSchema.safeParse({ id: 'not-a-uuid', name: 'x', status: 'active' }).success).toBe(false);
    expect(PageSchema(ServiceSchema).safeParse({ items: [] }).success).toBe(false);
  });

  it('unknown ids are 404 problems', async () => {
    for (const path of [
      '/services',
      '/organizations',
      '/locations',
      '/service_at_locations',
      '/taxonomies',
      '/taxonomy_terms',
    ]) {
      const response = await h.call(coach, 'GET', `${path}/00000000-0000-4000-8000-000000000000`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });
});
