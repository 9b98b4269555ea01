// The HSDS 3.0 tabular data package of a data set: datapackage.json and one CSV per resource with the
// spec's file names (../hsds/tables.ts), children pointing at their parent by id (`service_id`, ...),
// attributes and metadata at any entity by link_id/link_entity and resource_id/resource_type. Converted to
// and from the JSON data set, so both forms share one validation and one import. Columns a source added
// are kept (as text) and written again.
import {
  ANNOTATED,
  CHILDREN,
  dataPackage,
  linkOf,
  PARENT_PRIORITY,
  REFERENCES,
  RESOURCE_NAMES,
  RESOURCES,
  resourceOfPath,
  type Resource,
} from '../hsds/tables';
import { formatCsv, parseCsv } from './csv';
import type { RowError } from './data-set';
import { DATA_SET_TABLES, type DataSetTable } from './data-set-tables';

type Row = Record<string, unknown>;
export type JsonDataSet = { organizations: Row[]; services: Row[] } & Partial<Record<DataSetTable, Row[]>>;

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);
const rowsOf = (value: unknown): Row[] => (Array.isArray(value) ? value.filter(isRow) : []);
const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
const TOP: Record<DataSetTable, Resource> = {
  taxonomies: 'taxonomy',
  taxonomy_terms: 'taxonomy_term',
  meta_table_descriptions: 'meta_table_description',
  metadata: 'metadata',
  attributes: 'attribute',
};
export const DATA_PACKAGE = 'datapackage.json';

// ---- JSON data set → files ---------------------------------------------------------------------

export const toTabular = (set: JsonDataSet): Record<string, string> => {
  const tables = Object.fromEntries(RESOURCE_NAMES.map((r) => [r, new Map<string, Row>()])) as Record<
    Resource,
    Map<string, Row>
  >;
  const put = (resource: Resource, row: Row) => {
    const key = typeof row.id === 'string' ? row.id : `#${tables[resource].size}`;
    if (!tables[resource].has(key)) tables[resource].set(key, row); // an entity listed twice is one row
  };
  const emit = (resource: Resource, item: Row, link: Row) => {
    const row: Row = Object.fromEntries(Object.entries(item).filter(([, v]) => isScalar(v)));
    put(resource, { ...row, ...link });
    for (const [key, child] of Object.entries(CHILDREN[resource] ?? {}))
      for (const c of rowsOf(item[key])) emit(child, c, { [linkOf(resource)]: item.id });
    if (!ANNOTATED.has(resource)) return;
    for (const a of rowsOf(item.attributes)) {
      const term = a.taxonomy_term;
      if (isRow(term)) {
        if (isRow(term.taxonomy_detail)) emit('taxonomy', term.taxonomy_detail, {});
        emit('taxonomy_term', term, {});
      }
      emit('attribute', a, {
        link_id: item.id,
        link_entity: resource,
        ...(a.taxonomy_term_id === undefined && isRow(term) ? { taxonomy_term_id: term.id } : {}),
      });
    }
    for (const m of rowsOf(item.metadata)) emit('metadata', m, { resource_id: item.id, resource_type: resource });
  };
  set.organizations.forEach((o) => emit('organization', o, {}));
  set.services.forEach((s) => emit('service', s, {}));
  for (const table of DATA_SET_TABLES) rowsOf(set[table]).forEach((row) => emit(TOP[table], row, {}));

  const extra: Partial<Record<Resource, string[]>> = {};
  const files: Record<string, string> = {};
  for (const resource of RESOURCE_NAMES) {
    const spec = RESOURCES[resource].fields.map((f) => f.name) as string[];
    const rows = [...tables[resource].values()];
    const added = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !spec.includes(c)).sort();
    if (added.length > 0) extra[resource] = added;
    const columns = [...spec, ...added];
    files[RESOURCES[resource].path] = formatCsv(
      columns,
      rows.map((row) => columns.map((c) => (isScalar(row[c]) ? String(row[c]) : undefined))),
    );
  }
  return { [DATA_PACKAGE]: `${JSON.stringify(dataPackage(extra), null, 2)}\n`, ...files };
};

// ---- files → JSON data set ---------------------------------------------------------------------

type Located = Row & { __line: number };

export type Converted =
  | { ok: true; set: JsonDataSet; lines: { organizations: number[]; services: number[] } }
  | { ok: false; errors: RowError[] };

const NUMBER_FIELDS = new Set(
  RESOURCE_NAMES.flatMap((r) => RESOURCES[r].fields.filter((f) => f.type === 'number').map((f) => `${r}.${f.name}`)),
);

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
  const tables = Object.fromEntries(RESOURCE_NAMES.map((r) => [r, [] as Located[]])) as Record<Resource, Located[]>;
  for (const [file, text] of Object.entries(files)) {
    if (file === DATA_PACKAGE) {
      try {
        JSON.parse(text);
      } catch {
        fail(file, null, '', 'not JSON');
      }
      continue;
    }
    const resource = resourceOfPath(file);
    if (!resource) {
      fail(
        file,
        null,
        '',
        `not a file of the HSDS 3.0 data package (${RESOURCE_NAMES.map((r) => RESOURCES[r].path).join(', ')})`,
      );
      continue;
    }
    const parsed = parseCsv(text);
    if (!parsed.ok) {
      fail(file, parsed.line, '', parsed.reason);
      continue;
    }
    for (const { line, cells } of parsed.rows) {
      const row: Located = { __line: line };
      parsed.header.forEach((column, i) => {
        const value = cells[i] ?? ''; // as it came: spaces around text are data
        if (value.trim() === '') return;
        const numeric = NUMBER_FIELDS.has(`${resource}.${column}`) && Number.isFinite(Number(value));
        row[column] = numeric ? Number(value) : value;
      });
      tables[resource].push(row);
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const index = new Map<string, Located>();
  for (const resource of RESOURCE_NAMES)
    for (const row of tables[resource]) if (typeof row.id === 'string') index.set(`${resource}:${row.id}`, row);
  const used = new Set<Located>([...tables.organization, ...tables.service]);
  const attach = (parent: Row, key: string, child: Located) => {
    parent[key] = [...rowsOf(parent[key]), child];
    used.add(child);
  };

  // children in their parent's array, by the most specific link column set
  for (const resource of RESOURCE_NAMES)
    for (const row of tables[resource]) {
      for (const column of PARENT_PRIORITY) {
        const parentResource = REFERENCES[column]!;
        const key = Object.entries(CHILDREN[parentResource] ?? {}).find(([, r]) => r === resource)?.[0];
        const parent = typeof row[column] === 'string' ? index.get(`${parentResource}:${row[column]}`) : undefined;
        if (!key || !parent) continue;
        delete row[column];
        attach(parent, key, row);
        break;
      }
    }
  // by link_entity/resource_type when it names a resource, else by the id alone (ids are unique in a set)
  // a location whose organisation is not in the files: kept under the organisation of a service offered there
  for (const location of tables.location.filter((l) => !used.has(l))) {
    const host = tables.service.find((s) =>
      rowsOf(s.service_at_locations).some((sal) => sal.location_id === location.id),
    );
    const organization = host && index.get(`organization:${String(host.organization_id)}`);
    if (organization) attach(organization, 'locations', location);
  }
  const linked = (id: unknown, entity: unknown) =>
    typeof id !== 'string'
      ? undefined
      : ((typeof entity === 'string' ? index.get(`${entity}:${id}`) : undefined) ??
        RESOURCE_NAMES.map((r) => index.get(`${r}:${id}`)).find(Boolean));
  const embedded = new Set<Located>();
  const orphans: Located[] = [];
  for (const a of tables.attribute) {
    const parent = linked(a.link_id, a.link_entity);
    if (!parent) {
      orphans.push(a); // about nothing in the files: kept with the data set, as it came
      continue;
    }
    delete a.link_id;
    delete a.link_entity;
    const term = typeof a.taxonomy_term_id === 'string' ? index.get(`taxonomy_term:${a.taxonomy_term_id}`) : undefined;
    if (term) {
      a.taxonomy_term = term;
      embedded.add(term);
    }
    attach(parent, 'attributes', a);
  }
  const set: JsonDataSet = {
    organizations: tables.organization,
    services: tables.service,
    taxonomies: tables.taxonomy,
    taxonomy_terms: tables.taxonomy_term.filter((t) => !embedded.has(t)),
    meta_table_descriptions: tables.meta_table_description,
    metadata: [],
    attributes: orphans,
  };
  for (const m of tables.metadata) {
    const parent = linked(m.resource_id, m.resource_type);
    if (!parent) {
      set.metadata!.push(m); // about nothing in the files: kept with the data set
      continue;
    }
    delete m.resource_id;
    delete m.resource_type;
    attach(parent, 'metadata', m);
  }
  for (const resource of ['taxonomy', 'taxonomy_term', 'meta_table_description', 'metadata', 'attribute'] as const)
    tables[resource].forEach((row) => used.add(row));

  // A row whose parent is not in the files would be lost silently: report it instead.
  for (const resource of RESOURCE_NAMES)
    for (const row of tables[resource])
      if (!used.has(row))
        fail(
          RESOURCES[resource].path,
          row.__line,
          '',
          resource === 'location' || resource === 'program'
            ? 'the sociale kaart keeps it under its organization: organization_id must name one in organizations.csv'
            : 'its parent (by its link columns, link_id or resource_id) is not in the files',
        );
  if (errors.length > 0) return { ok: false, errors };
  const lines = {
    organizations: tables.organization.map((r) => r.__line),
    services: tables.service.map((r) => r.__line),
  };
  const clean = JSON.parse(JSON.stringify(set, (key, v: unknown) => (key === '__line' ? undefined : v))) as JsonDataSet;
  return { ok: true, set: clean, lines };
};
