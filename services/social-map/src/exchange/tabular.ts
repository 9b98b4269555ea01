// The HSDS 3.0 tabular form of a data set: one CSV file per entity, children pointing to their parent
// by id (`service_id`, `location_id`, ...), the WoR profile as `service_areas` (wijken) and
// `attributes` (taxonomy terms). Converted to and from the JSON data set, so both forms share one
// validation and one import.
import { stableUuid } from '../hsds/ids';
import { TAXONOMIES, termById, termId } from '../hsds/taxonomies';
import { formatCsv, parseCsv } from './csv';
import type { RowError } from './data-set';

type Row = Record<string, unknown>;

/** File → its columns (HSDS field names; the link columns first). */
export const TABLES = {
  'organizations.csv': [
    'id',
    'name',
    'alternate_name',
    'description',
    'email',
    'website',
    'legal_status',
    'year_incorporated',
  ],
  'locations.csv': [
    'id',
    'organization_id',
    'location_type',
    'url',
    'name',
    'alternate_name',
    'description',
    'transportation',
    'latitude',
    'longitude',
  ],
  'addresses.csv': [
    'id',
    'location_id',
    'attention',
    'address_1',
    'address_2',
    'city',
    'region',
    'state_province',
    'postal_code',
    'country',
    'address_type',
  ],
  'accessibility.csv': ['id', 'location_id', 'description', 'details', 'url'],
  'services.csv': [
    'id',
    'organization_id',
    'name',
    'alternate_name',
    'description',
    'url',
    'email',
    'status',
    'interpretation_services',
    'application_process',
    'fees_description',
    'eligibility_description',
    'minimum_age',
    'maximum_age',
    'alert',
  ],
  'service_at_locations.csv': ['id', 'service_id', 'location_id', 'description'],
  'contacts.csv': ['id', 'organization_id', 'service_id', 'name', 'title', 'department', 'email'],
  'phones.csv': [
    'id',
    'organization_id',
    'service_id',
    'location_id',
    'contact_id',
    'number',
    'extension',
    'type',
    'description',
  ],
  'schedules.csv': [
    'id',
    'service_id',
    'valid_from',
    'valid_to',
    'dtstart',
    'until',
    'wkst',
    'freq',
    'interval',
    'byday',
    'opens_at',
    'closes_at',
    'description',
    'attending_type',
    'notes',
  ],
  'languages.csv': ['id', 'service_id', 'location_id', 'name', 'code', 'note'],
  'cost_options.csv': [
    'id',
    'service_id',
    'valid_from',
    'valid_to',
    'option',
    'currency',
    'amount',
    'amount_description',
  ],
  'service_areas.csv': ['id', 'service_id', 'name', 'extent_type', 'extent'],
  'attributes.csv': ['id', 'link_id', 'link_type', 'link_entity', 'taxonomy_term_id', 'value'],
} as const;
export type TableName = keyof typeof TABLES;
const NUMERIC = new Set([
  'year_incorporated',
  'latitude',
  'longitude',
  'minimum_age',
  'maximum_age',
  'extension',
  'interval',
  'amount',
]);
const LINKS = new Set([
  'organization_id',
  'service_id',
  'location_id',
  'contact_id',
  'link_id',
  'link_type',
  'link_entity',
  'taxonomy_term_id',
]);

// ---- JSON data set → files ---------------------------------------------------------------------

type ExportedService = Row & {
  id: string;
  wijken: string[];
  dimensions: string[];
  referral_reasons: string[];
  capacity_status: string;
};
type ExportedOrganization = Row & { id: string; locations: (Row & { id: string })[] };

export const toTabular = (set: {
  organizations: ExportedOrganization[];
  services: ExportedService[];
}): Record<TableName, string> => {
  const rows = Object.fromEntries(Object.keys(TABLES).map((t) => [t, [] as Row[]])) as Record<TableName, Row[]>;
  const children = (file: TableName, parent: Row, key: string, link: Row) =>
    ((parent[key] as Row[] | undefined) ?? []).forEach((child) => rows[file].push({ ...child, ...link }));
  for (const o of set.organizations) {
    rows['organizations.csv'].push(o);
    children('phones.csv', o, 'phones', { organization_id: o.id });
    for (const c of (o.contacts as Row[] | undefined) ?? []) {
      rows['contacts.csv'].push({ ...c, organization_id: o.id });
      children('phones.csv', c, 'phones', { contact_id: c.id });
    }
    for (const l of o.locations) {
      rows['locations.csv'].push({ ...l, organization_id: o.id });
      children('addresses.csv', l, 'addresses', { location_id: l.id });
      children('accessibility.csv', l, 'accessibility', { location_id: l.id });
      children('languages.csv', l, 'languages', { location_id: l.id });
      children('phones.csv', l, 'phones', { location_id: l.id });
    }
  }
  for (const s of set.services) {
    rows['services.csv'].push(s);
    for (const key of ['phones', 'schedules', 'languages', 'cost_options', 'service_at_locations'] as const)
      children(`${key}.csv` as TableName, s, key, { service_id: s.id });
    for (const c of (s.contacts as Row[] | undefined) ?? []) {
      rows['contacts.csv'].push({ ...c, service_id: s.id });
      children('phones.csv', c, 'phones', { contact_id: c.id });
    }
    for (const wijk of s.wijken)
      rows['service_areas.csv'].push({
        id: stableUuid('service_area', s.id, wijk),
        service_id: s.id,
        name: wijk,
        extent_type: 'wijk',
        extent: wijk,
      });
    const attribute = (kind: 'dimension' | 'reason' | 'capacity', code: string) =>
      rows['attributes.csv'].push({
        id: stableUuid('attribute', s.id, kind, code),
        link_id: s.id,
        link_type: TAXONOMIES[kind].name,
        link_entity: 'service',
        taxonomy_term_id: termId(kind, code),
        value: code,
      });
    s.dimensions.forEach((d) => attribute('dimension', d));
    s.referral_reasons.forEach((r) => attribute('reason', r));
    attribute('capacity', s.capacity_status);
  }
  return Object.fromEntries(
    (Object.keys(TABLES) as TableName[]).map((file) => [
      file,
      formatCsv(
        TABLES[file],
        rows[file].map((row) => TABLES[file].map((column) => row[column] as string | number | undefined)),
      ),
    ]),
  ) as Record<TableName, string>;
};

// ---- files → JSON data set ---------------------------------------------------------------------

type Located = Row & { __file: TableName; __line: number };

export type Converted =
  | { ok: true; set: { organizations: Row[]; services: Row[] }; lines: { organizations: number[]; services: number[] } }
  | { ok: false; errors: RowError[] };

export const fromTabular = (files: Record<string, string>): Converted => {
  const errors: RowError[] = [];
  const fail = (file: string, line: number | null, path: string, reason: string) =>
    errors.push({
      entity: 'files',
      index: null,
      id: null,
      path: `${file}${line === null ? '' : `:${line}`}${path ? ` ${path}` : ''}`,
      reason,
    });
  const tables = {} as Record<TableName, Located[]>;
  for (const file of Object.keys(TABLES) as TableName[]) tables[file] = [];
  for (const [file, text] of Object.entries(files)) {
    if (!(file in TABLES)) {
      fail(file, null, '', `not a file of this profile (${Object.keys(TABLES).join(', ')})`);
      continue;
    }
    const parsed = parseCsv(text);
    if (!parsed.ok) {
      fail(file, parsed.line, '', parsed.reason);
      continue;
    }
    const known = TABLES[file as TableName] as readonly string[];
    const unknown = parsed.header.filter((h) => !known.includes(h));
    if (unknown.length > 0) fail(file, 1, '', `unknown column(s): ${unknown.join(', ')}`);
    for (const { line, cells } of parsed.rows) {
      const row: Located = { __file: file as TableName, __line: line };
      parsed.header.forEach((column, i) => {
        const value = cells[i]?.trim() ?? '';
        if (value === '' || !known.includes(column)) return;
        row[column] = NUMERIC.has(column) && Number.isFinite(Number(value)) ? Number(value) : value;
      });
      tables[file as TableName].push(row);
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const strip = (row: Located): Row =>
    Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith('__') && !LINKS.has(k)));
  const byParent = (file: TableName, link: string) => {
    const map = new Map<string, Located[]>();
    for (const row of tables[file]) {
      const parent = row[link];
      if (typeof parent !== 'string') continue;
      map.set(parent, [...(map.get(parent) ?? []), row]);
    }
    return map;
  };
  const used = new Set<Located>();
  const take = (file: TableName, link: string, id: unknown): Row[] => {
    const found = typeof id === 'string' ? (byParent(file, link).get(id) ?? []) : [];
    found.forEach((r) => used.add(r));
    return found.map(strip);
  };
  const contactsOf = (link: string, id: unknown) =>
    (typeof id === 'string' ? (byParent('contacts.csv', link).get(id) ?? []) : []).map((c) => {
      used.add(c);
      return { ...strip(c), phones: take('phones.csv', 'contact_id', c.id) };
    });

  const organizations = tables['organizations.csv'].map((o) => {
    used.add(o);
    return {
      ...strip(o),
      phones: take('phones.csv', 'organization_id', o.id),
      contacts: contactsOf('organization_id', o.id),
      locations: (typeof o.id === 'string' ? (byParent('locations.csv', 'organization_id').get(o.id) ?? []) : []).map(
        (l) => {
          used.add(l);
          return {
            ...strip(l),
            addresses: take('addresses.csv', 'location_id', l.id),
            accessibility: take('accessibility.csv', 'location_id', l.id),
            languages: take('languages.csv', 'location_id', l.id),
            phones: take('phones.csv', 'location_id', l.id),
          };
        },
      ),
    };
  });

  const services = tables['services.csv'].map((s) => {
    used.add(s);
    const areas = typeof s.id === 'string' ? (byParent('service_areas.csv', 'service_id').get(s.id) ?? []) : [];
    const attributes = typeof s.id === 'string' ? (byParent('attributes.csv', 'link_id').get(s.id) ?? []) : [];
    areas.forEach((a) => used.add(a));
    const profile: Row = {
      wijken: areas.filter((a) => a.extent_type === 'wijk').map((a) => a.name ?? a.extent),
      dimensions: [],
      referral_reasons: [],
    };
    for (const a of attributes) {
      used.add(a);
      const term = typeof a.taxonomy_term_id === 'string' ? termById(a.taxonomy_term_id) : undefined;
      if (!term) {
        fail(
          'attributes.csv',
          a.__line,
          'taxonomy_term_id',
          `not a term of this profile's taxonomies (see /taxonomy_terms)`,
        );
        continue;
      }
      if (term.taxonomy_id === TAXONOMIES.dimension.id) (profile.dimensions as string[]).push(term.code);
      else if (term.taxonomy_id === TAXONOMIES.reason.id) (profile.referral_reasons as string[]).push(term.code);
      else profile.capacity_status = term.code;
    }
    return {
      ...strip(s),
      // a field of the service itself, not a link to a parent row in these files
      ...(s.organization_id === undefined ? {} : { organization_id: s.organization_id }),
      ...profile,
      phones: take('phones.csv', 'service_id', s.id),
      contacts: contactsOf('service_id', s.id),
      schedules: take('schedules.csv', 'service_id', s.id),
      languages: take('languages.csv', 'service_id', s.id),
      cost_options: take('cost_options.csv', 'service_id', s.id),
      // the one child table whose second link (location_id) is data, not its parent
      service_at_locations: (typeof s.id === 'string'
        ? (byParent('service_at_locations.csv', 'service_id').get(s.id) ?? [])
        : []
      ).map((sal) => {
        used.add(sal);
        return { ...strip(sal), ...(sal.location_id === undefined ? {} : { location_id: sal.location_id }) };
      }),
    };
  });

  // A row whose parent is not in the files would be lost silently: report it instead.
  for (const file of Object.keys(TABLES) as TableName[])
    for (const row of tables[file])
      if (!used.has(row) && !(file === 'service_areas.csv' && row.extent_type !== 'wijk'))
        fail(
          file,
          row.__line,
          '',
          'its parent (by organization_id, service_id, location_id, contact_id or link_id) is not in the files',
        );
  const lines = {
    organizations: tables['organizations.csv'].map((r) => r.__line),
    services: tables['services.csv'].map((r) => r.__line),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, set: { organizations, services }, lines };
};
