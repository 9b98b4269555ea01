import { RESOURCES, RESOURCE_NAMES } from '../hsds/tables';
import { completeDataSet } from '../testing/hsds-data-set';
import { adviceFor } from './advice';
import { fromTabular, toTabular } from './tabular';

describe('the HSDS tabular data package', () => {
  it('has every resource of the spec under its file name, and datapackage.json describes each file', () => {
    const files = toTabular(completeDataSet());
    const pkg = JSON.parse(files['datapackage.json']!);
    expect(Object.keys(files).sort()).toEqual(
      ['datapackage.json', ...RESOURCE_NAMES.map((r) => RESOURCES[r].path)].sort(),
    );
    for (const resource of pkg.resources)
      expect(files[resource.path]!.split('\r\n')[0]).toBe(
        resource.schema.fields.map((f: { name: string }) => f.name).join(','),
      );
    expect(files['service_at_location.csv']).toBeDefined();
  });

  it('files → data set → files gives the same files', () => {
    const files = toTabular(completeDataSet());
    const back = fromTabular(files);
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect(toTabular(back.set)).toEqual(files);
  });

  it('a column a source added is kept and written again', () => {
    const files = toTabular(completeDataSet());
    const [header, ...rows] = files['services.csv']!.trimEnd().split('\r\n');
    const extended = {
      ...files,
      'services.csv': `${header},eigen_veld\r\n${rows.map((r) => `${r},waarde`).join('\r\n')}\r\n`,
    };
    const back = fromTabular(extended);
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect(back.set.services[0]!.eigen_veld).toBe('waarde');
    expect(toTabular(back.set)['services.csv']!.split('\r\n')[0]).toMatch(/,eigen_veld$/);
  });

  it('a location whose organisation is not in the files goes under the organisation of a service offered there', () => {
    const [o, s, l, sal] = [
      '11111111-1111-4111-8111-111111111111',
      '22222222-2222-4222-8222-222222222222',
      '33333333-3333-4333-8333-333333333333',
      '44444444-4444-4444-8444-444444444444',
    ];
    const back = fromTabular({
      'organizations.csv': `id,name,description\r\n${o},Org,Org\r\n`,
      'services.csv': `id,organization_id,name,status\r\n${s},${o},Dienst,active\r\n`,
      'locations.csv': `id,organization_id,location_type\r\n${l},55555555-5555-4555-8555-555555555555,physical\r\n`,
      'service_at_location.csv': `id,service_id,location_id\r\n${sal},${s},${l}\r\n`,
    });
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect((back.set.organizations[0]!.locations as { id: string }[]).map((x) => x.id)).toEqual([l]);
  });

  it("a file that is not the spec's is refused with its name", () => {
    const back = fromTabular({ 'service_at_locations.csv': 'id\r\n' });
    expect(back.ok ? [] : back.errors.map((e) => e.path)).toEqual(['service_at_locations.csv']);
  });
});

describe('advice (warnings, not refusals)', () => {
  it('names the Dutch postcode, currency, attending_type and out-of-range positions', () => {
    const set = completeDataSet();
    const paths = [...adviceFor(set.organizations[0]), ...adviceFor(set.services[0])].map((a) => a.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'locations[0].addresses[0].postal_code',
        'cost_options[0].currency',
        'schedules[0].attending_type',
      ]),
    );
    expect(adviceFor({ locations: [{ latitude: 100, longitude: 5 }] }).map((a) => a.path)).toEqual([
      'locations[0].latitude',
    ]);
    expect(adviceFor({ addresses: [{ postal_code: '3511 AB', country: 'NL' }] })).toEqual([]);
  });
});
