// A complete HSDS 3.0 data set from another system (every entity and field the spec defines) imports as
// JSON and as the tabular data package, comes back out unchanged, and exports round-trip (issue 17).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Package } from 'datapackage';
import { parseCsv } from './csv';
import type { z } from 'zod';
import { LocationSchema, OrganizationSchema, ServiceAtLocationSchema, ServiceSchema } from '../hsds/schemas';
import { TAXONOMIES, TERMS } from '../hsds/taxonomies';
import { RESOURCES, RESOURCE_NAMES, REFERENCES } from '../hsds/tables';
import { completeDataSet } from '../testing/hsds-data-set';
import { coach, municipal } from '../testing/fixtures';
import { startHarness, type Harness } from '../testing/harness';

/** Sorted keys, arrays compared as sets: the canonical form the round trips are judged in. */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value))
    return value.map(canonical).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
};

type Row = Record<string, unknown>;
const builtIn = new Set<string>([...TERMS.map((t) => t.id), ...Object.values(TAXONOMIES).map((t) => t.id)]);
/** The export without what the sociale kaart adds itself: its own taxonomies and profile attributes. */
const withoutProfile = (set: Row) => ({
  ...set,
  taxonomies: (set.taxonomies as Row[]).filter((t) => !builtIn.has(t.id as string)),
  taxonomy_terms: (set.taxonomy_terms as Row[]).filter((t) => !builtIn.has(t.id as string)),
  services: (set.services as Row[]).map((s) => ({
    ...s,
    attributes: (s.attributes as Row[]).filter((a) => !builtIn.has(a.taxonomy_term_id as string)),
  })),
});

/** Frictionless' own library: the descriptor against its profile, every row cast to its type, foreign keys. */
const frictionlessProblems = async (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'hsds-package-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const pkg = await Package.load(join(dir, 'datapackage.json'));
    const problems = pkg.errors.map(String);
    for (const resource of pkg.resources)
      await resource.read({ relations: true, cast: true }).catch((error: Error & { errors?: Error[] }) => {
        problems.push(`${resource.name}: ${error.message} ${(error.errors ?? []).map(String).join('; ')}`);
      });
    return { valid: pkg.valid, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Every file as a set of rows (column → value), for comparing tabular exports. */
const tables = (files: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(files)
      .filter(([name]) => name.endsWith('.csv'))
      .map(([name, text]) => {
        const parsed = parseCsv(text);
        if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
        return [
          name,
          canonical(parsed.rows.map((r) => Object.fromEntries(parsed.header.map((h, i) => [h, r.cells[i]])))),
        ];
      }),
  );

describe('a complete HSDS 3.0 data set (real PostgreSQL)', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(() => h.close());

  it('imports as JSON with warnings for what a Dutch map would not write, and comes back out unchanged', async () => {
    const source = completeDataSet();
    const imported = await h.call(municipal, 'POST', '/imports/hsds', source);
    expect(imported.status).toBe(201);
    expect(imported.body.created).toEqual({ organizations: 1, locations: 1, services: 1 });
    const warned = imported.body.warnings.map((w: { path: string }) => w.path);
    expect(warned).toEqual(
      expect.arrayContaining([
        'organizations[0].locations[0].addresses[0].postal_code',
        'services[0].cost_options[0].currency',
        'services[0].schedules[0].attending_type',
      ]),
    );
    const exported = await h.call(coach, 'GET', '/exports/hsds?municipality=GM9999');
    expect(exported.status).toBe(200);
    expect(canonical(withoutProfile(exported.body))).toEqual(canonical({ municipality: 'GM9999', ...source }));

    // the read API serves the kept fields too, still as HSDS 3.0 has them
    const conforms = (schema: z.ZodType, body: unknown) => {
      const result = schema.safeParse(body);
      expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
    };
    const service = source.services[0]!;
    const served = (await h.call(coach, 'GET', `/services/${service.id}`)).body;
    conforms(ServiceSchema, served);
    expect(served.funding).toEqual(service.funding);
    conforms(OrganizationSchema, (await h.call(coach, 'GET', `/organizations/${source.organizations[0]!.id}`)).body);
    conforms(
      LocationSchema,
      (await h.call(coach, 'GET', `/locations/${source.organizations[0]!.locations[0]!.id}`)).body,
    );
    const sal = (await h.call(coach, 'GET', `/service_at_locations/${service.service_at_locations[0]!.id}`)).body;
    conforms(ServiceAtLocationSchema, sal);
    expect(sal.contacts).toEqual(service.service_at_locations[0]!.contacts);
    expect(served.service_at_locations[0].schedules).toEqual(service.service_at_locations[0]!.schedules);
  });

  it('takes the other nestings HSDS allows: services in their organisation, a nested organization and location', async () => {
    const fresh = await startHarness();
    try {
      const flat = completeDataSet();
      const organization = flat.organizations[0]!;
      const service = flat.services[0]!;
      const location = organization.locations[0]!;
      const { organization_id: _o, ...serviceWithoutOrganization } = service;
      const nested = {
        organizations: [{ ...organization, locations: [], services: [serviceWithoutOrganization] }],
        services: [],
      };
      // the location comes nested in the service_at_location only, without location_id
      const sal = service.service_at_locations[0]!;
      const { location_id: _l, ...salWithoutLocationId } = sal;
      serviceWithoutOrganization.service_at_locations = [{ ...salWithoutLocationId, location } as never];
      const imported = await fresh.call(municipal, 'POST', '/imports/hsds', nested);
      expect(imported.status).toBe(201);
      expect(imported.body.created).toEqual({ organizations: 1, locations: 1, services: 1 });
      const exported = await fresh.call(coach, 'GET', '/exports/hsds?municipality=GM9999');
      const {
        taxonomies: _t,
        taxonomy_terms: _tt,
        meta_table_descriptions: _m,
        metadata: _md,
        attributes: _a,
        ...rest
      } = flat;
      expect(canonical(withoutProfile(exported.body))).toEqual(
        canonical({
          municipality: 'GM9999',
          ...rest,
          taxonomies: [],
          taxonomy_terms: [],
          meta_table_descriptions: [],
          metadata: [],
          attributes: [],
        }),
      );
    } finally {
      await fresh.close();
    }
  });

  it('the JSON export imports as it is into an empty map and exports the same data set', async () => {
    const exported = await h.call(coach, 'GET', '/exports/hsds?municipality=GM9999');
    const fresh = await startHarness();
    try {
      const into = await fresh.call(municipal, 'POST', '/imports/hsds', exported.body); // municipality key and all
      expect(into.status).toBe(201);
      const again = await fresh.call(coach, 'GET', '/exports/hsds?municipality=GM9999');
      expect(canonical(again.body)).toEqual(canonical(exported.body));
      // staleness survives: the review date is the one exported
      expect(again.body.services[0].assured_date).toBe('2025-10-01');
    } finally {
      await fresh.close();
    }
  });

  it('the tabular export is a Frictionless data package with the spec file names, and round-trips', async () => {
    const exported = await h.call(coach, 'GET', '/exports/hsds/tabular?municipality=GM9999');
    expect(exported.status).toBe(200);
    const files = exported.body.files as Record<string, string>;
    const pkg = JSON.parse(files['datapackage.json']!);
    expect(pkg.profile).toBe('tabular-data-package');
    expect(pkg.resources.map((r: { path: string }) => r.path).sort()).toEqual(
      RESOURCE_NAMES.map((r) => RESOURCES[r].path).sort(),
    );
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['service_at_location.csv', 'funding.csv', 'taxonomy_terms.csv']),
    );
    // every resource: its file's header is its schema's fields, ids are unique, every foreign key resolves
    const ids = new Map<string, Set<string>>();
    const parsed = new Map<string, { header: string[]; rows: Row[] }>();
    for (const resource of pkg.resources as { name: string; path: string; schema: { fields: { name: string }[] } }[]) {
      const csv = parseCsv(files[resource.path]!);
      if (!csv.ok) throw new Error(resource.path);
      expect(csv.header).toEqual(resource.schema.fields.map((f) => f.name));
      const rows = csv.rows.map((r) => Object.fromEntries(csv.header.map((h, i) => [h, r.cells[i]])));
      const own = new Set(rows.map((r) => r.id as string));
      expect(own.size).toBe(rows.length);
      ids.set(resource.name, own);
      parsed.set(resource.name, { header: csv.header, rows });
    }
    for (const resource of pkg.resources as {
      name: string;
      schema: { foreignKeys?: { fields: string; reference: { resource: string } }[] };
    }[])
      for (const fk of resource.schema.foreignKeys ?? []) {
        const target = ids.get(fk.reference.resource || resource.name)!;
        for (const row of parsed.get(resource.name)!.rows)
          if (row[fk.fields])
            expect([resource.name, fk.fields, target.has(row[fk.fields] as string)]).toEqual([
              resource.name,
              fk.fields,
              true,
            ]);
      }
    expect(await frictionlessProblems(files)).toEqual({ valid: true, problems: [] });
    // ... and the check sees a phone of a service that is not in the package
    const header = files['phones.csv']!.split('\r\n')[0]!.split(',');
    const dangling = header.map((c) =>
      c === 'id' || c === 'service_id' ? randomUUID() : c === 'number' ? '0301' : '',
    );
    const broken = { ...files, 'phones.csv': `${files['phones.csv']}${dangling.join(',')}\r\n` };
    expect((await frictionlessProblems(broken)).problems).toEqual([expect.stringMatching(/^phone: .*foreign key/i)]);
    // attributes point at terms the package contains (the built-in ones included)
    const terms = ids.get('taxonomy_term')!;
    for (const a of parsed.get('attribute')!.rows) expect(terms.has(a.taxonomy_term_id as string)).toBe(true);
    expect(REFERENCES.taxonomy_term_id).toBe('taxonomy_term');

    const json = await h.call(coach, 'GET', '/exports/hsds?municipality=GM9999');
    const fresh = await startHarness();
    try {
      const into = await fresh.call(municipal, 'POST', '/imports/hsds/tabular', { files });
      expect(into.status).toBe(201);
      const again = await fresh.call(coach, 'GET', '/exports/hsds/tabular?municipality=GM9999');
      expect(tables(again.body.files)).toEqual(tables(files));
      expect(JSON.parse(again.body.files['datapackage.json'])).toEqual(pkg);
      const againJson = await fresh.call(coach, 'GET', '/exports/hsds?municipality=GM9999');
      expect(againJson.body.services.length).toBe(json.body.services.length);
    } finally {
      await fresh.close();
    }
  });
});
