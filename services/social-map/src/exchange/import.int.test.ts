// Importing an HSDS 3.0 JSON data set: all-or-nothing with a report naming every bad row; exports
// import again.
import { randomUUID } from 'node:crypto';
import { eventually } from '@wor/test-support';
import { coach, locationBody, municipal, organizationBody, otherMunicipality, serviceBody } from '../testing/fixtures';
import { startHarness, type Harness } from '../testing/harness';

describe('HSDS data set import and export (real PostgreSQL)', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(() => h.close());

  const counts = async () => {
    const events = Number((await h.pool.query('SELECT count(*) FROM events')).rows[0].count);
    const services = Number((await h.pool.query('SELECT count(*) FROM map_services')).rows[0].count);
    return { events, services };
  };

  const dataSet = () => {
    const location = locationBody();
    const organization = { ...organizationBody(), locations: [location] };
    const locationId = location.id;
    return {
      organizations: [organization],
      services: [
        serviceBody(organization.id, { service_at_locations: [{ location_id: locationId }] }),
        serviceBody(organization.id, { name: 'Koffieochtend', capacity_status: 'limited' }),
      ],
    };
  };

  it('imports a valid data set: organisations, their locations and services, each as events', async () => {
    const set = dataSet();
    const response = await h.call(municipal, 'POST', '/imports/hsds', set);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      municipality: 'GM9999',
      created: { organizations: 1, locations: 1, services: 2 },
      updated: { organizations: 0, locations: 0, services: 0 },
      warnings: [],
    });
    // the API waits (bounded) for its directory; a transaction elsewhere in a shared cluster can hold it back longer
    const found = await eventually(async () => {
      const r = await h.call(coach, 'GET', `/services?organization_id=${set.organizations[0]!.id}`);
      return r.body.total_items === 2 ? r : undefined;
    });
    expect(
      found.body.contents.map((s: { name: string; capacity_status: string }) => [s.name, s.capacity_status]).sort(),
    ).toEqual([
      ['Koffieochtend', 'limited'],
      ['Wandelgroep De Blijebuurt', 'available'],
    ]);
    const history = await h.call(municipal, 'GET', `/services/${set.services[0]!.id}/history`);
    expect(history.body.history).toEqual([expect.objectContaining({ type: 'ServicePublished', by: 'ku-beterstad' })]);

    // the same set again changes nothing but confirms the entries (reviews), creating nothing
    const again = await h.call(municipal, 'POST', '/imports/hsds', set);
    expect(again.body).toMatchObject({
      created: { organizations: 0, locations: 0, services: 0 },
      updated: { services: 0 },
    });
  });

  it('rejects a broken data set as a whole, naming every bad row and why; nothing is stored', async () => {
    const before = await counts();
    const set = dataSet();
    const broken = {
      organizations: [...set.organizations, { id: randomUUID(), description: 'no name' }],
      services: [
        set.services[0],
        { ...set.services[1], status: 'open' },
        serviceBody(randomUUID()), // unknown organisation: only found after the rows themselves are valid
        { ...serviceBody(set.organizations[0]!.id), email: 'geen-adres', dimensions: ['geluk'] },
        serviceBody(set.organizations[0]!.id, { minimum_age: 70, maximum_age: 12 }),
      ],
    };
    const response = await h.call(municipal, 'POST', '/imports/hsds', broken);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    const errors = response.body.errors as { entity: string; index: number; path: string; reason: string }[];
    expect(errors.map((e) => e.path).sort()).toEqual([
      'organizations[1].name',
      'services[1].status',
      'services[3].dimensions[0]',
      'services[3].email',
      'services[4].maximum_age',
    ]);
    expect(errors.every((e) => e.reason.length > 0)).toBe(true);
    expect(await counts()).toEqual(before);

    // with the rows fixed, the reference to an unknown organisation is reported
    const unknownOrg = await h.call(municipal, 'POST', '/imports/hsds', { services: [serviceBody(randomUUID())] });
    expect(unknownOrg.status).toBe(422);
    expect(unknownOrg.body.errors).toEqual([
      expect.objectContaining({
        path: 'services[0].organization_id',
        reason: expect.stringMatching(/neither in the data set nor on this map/),
      }),
    ]);
    expect(await counts()).toEqual(before);
  });

  it('rolls back everything when a decider refuses one entry late in the set', async () => {
    const set = dataSet();
    expect((await h.call(municipal, 'POST', '/imports/hsds', { organizations: set.organizations })).status).toBe(201);
    // another municipality's import that claims an existing id of GM9999 is refused as a whole
    const before = await counts();
    const foreignOrg = organizationBody();
    const response = await h.call(otherMunicipality, 'POST', '/imports/hsds', {
      organizations: [foreignOrg, set.organizations[0]],
      services: [serviceBody(foreignOrg.id)],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: 'organizations[1].id', reason: expect.stringMatching(/another municipality/) }),
    ]);
    expect(await counts()).toEqual(before); // the first organisation, valid on its own, was rolled back too
  });

  it('refuses a location id that belongs to another organisation', async () => {
    const set = dataSet();
    expect((await h.call(municipal, 'POST', '/imports/hsds', { organizations: set.organizations })).status).toBe(201);
    const taken = (set.organizations[0]!.locations as { id: string }[])[0]!;
    await eventually(async () =>
      (await h.call(coach, 'GET', `/locations/${taken.id}`)).status === 200 ? true : undefined,
    );
    const thief = organizationBody();
    const response = await h.call(municipal, 'POST', '/imports/hsds', {
      organizations: [{ ...thief, locations: [taken] }],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        path: 'organizations[0].locations[0].id',
        reason: expect.stringMatching(/another organization/),
      }),
    ]);
    const created = await h.call(municipal, 'POST', '/organizations', thief);
    expect((await h.call(municipal, 'POST', `/organizations/${created.body.id}/locations`, taken)).status).toBe(409);
  });

  it('refuses a data set that is not one, and non-key-users', async () => {
    expect((await h.call(municipal, 'POST', '/imports/hsds', { services: 'all of them' })).body.errors).toEqual([
      expect.objectContaining({ path: 'data_set.services' }),
    ]);
    expect((await h.call(municipal, 'POST', '/imports/hsds', { providers: [] })).status).toBe(422);
    expect((await h.call(coach, 'POST', '/imports/hsds', dataSet())).status).toBe(403);
  });

  it('exports the map as a data set that imports again, also into an empty map', async () => {
    const exported = await h.call(coach, 'GET', '/exports/hsds?municipality=GM9999');
    expect(exported.status).toBe(200);
    expect(exported.body.services.length).toBeGreaterThanOrEqual(2);
    const { municipality: _m, ...set } = exported.body;
    const reimport = await h.call(municipal, 'POST', '/imports/hsds', set);
    expect(reimport.status).toBe(201);
    expect(reimport.body.created).toEqual({ organizations: 0, locations: 0, services: 0 });

    const fresh = await startHarness();
    try {
      const into = await fresh.call(municipal, 'POST', '/imports/hsds', set);
      expect(into.status).toBe(201);
      expect(into.body.created.services).toBe(exported.body.services.length);
      const again = await fresh.call(coach, 'GET', '/exports/hsds?municipality=GM9999');
      expect(again.body).toEqual(exported.body);
    } finally {
      await fresh.close();
    }
  });

  it('the tabular form (one CSV per HSDS entity) exports and imports the same map', async () => {
    const exported = await h.call(coach, 'GET', '/exports/hsds/tabular?municipality=GM9999');
    expect(exported.status).toBe(200);
    const files = exported.body.files as Record<string, string>;
    expect(files['services.csv']!.split('\r\n')[0]).toBe(
      'id,organization_id,program_id,name,alternate_name,description,url,email,status,interpretation_services,application_process,fees_description,wait_time,fees,accreditations,eligibility_description,minimum_age,maximum_age,assured_date,assurer_email,licenses,alert,last_modified',
    );
    expect(files['attributes.csv']).toContain(',meedoen');
    const json = await h.call(coach, 'GET', '/exports/hsds?municipality=GM9999');

    const fresh = await startHarness();
    try {
      const into = await fresh.call(municipal, 'POST', '/imports/hsds/tabular', { files });
      expect(into.status).toBe(201);
      expect(into.body.created.services).toBe(json.body.services.length);
      expect((await fresh.call(coach, 'GET', '/exports/hsds?municipality=GM9999')).body).toEqual(json.body);
    } finally {
      await fresh.close();
    }
  });

  it('a broken tabular set is refused with file and line, and nothing is stored', async () => {
    const before = await counts();
    const organizationId = randomUUID();
    const serviceId = randomUUID();
    const good = {
      'organizations.csv': `id,name,description\r\n${organizationId},Buurtvereniging,Ontmoeten\r\n`,
      'services.csv': `id,organization_id,name,minimum_age\r\n${serviceId},${organizationId},Breiclub,oud\r\n`,
    };
    const badValue = await h.call(municipal, 'POST', '/imports/hsds/tabular', { files: good });
    expect(badValue.status).toBe(422);
    expect(badValue.body.errors).toEqual([
      expect.objectContaining({ path: 'services[0].minimum_age', source: 'services.csv:2' }),
    ]);

    const broken = await h.call(municipal, 'POST', '/imports/hsds/tabular', {
      files: {
        ...good,
        'services.csv': `id,organization_id,name\r\n${serviceId},${organizationId},Breiclub\r\n${randomUUID()},"open\r\n`,
        'phones.csv': `id,service_id,number\r\n${randomUUID()},${randomUUID()},0301234567\r\n`,
        'service_at_locations.csv': 'id\r\n',
      },
    });
    expect(broken.status).toBe(422);
    expect(broken.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'services.csv:3',
      'service_at_locations.csv',
    ]);
    const orphan = await h.call(municipal, 'POST', '/imports/hsds/tabular', {
      files: {
        ...good,
        'services.csv': `id,organization_id,name\r\n${serviceId},${organizationId},Breiclub\r\n`,
        'phones.csv': `id,service_id,number\r\n${randomUUID()},${randomUUID()},0301234567\r\n`,
      },
    });
    expect(orphan.body.errors).toEqual([
      expect.objectContaining({ path: 'phones.csv:2', reason: expect.stringMatching(/parent/) }),
    ]);
    expect(await counts()).toEqual(before);
  });
});
