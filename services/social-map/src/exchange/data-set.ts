// An HSDS 3.0 JSON data set of one municipality's map (WoR profile): organisations with their locations
// (and programs, identifiers, funding), services, and the data-set-level tables. Any HSDS 3.0 data imports:
// entities nested the other ways HSDS allows (an organization's `services`, a service's `organization` and
// `program`, a service_at_location's `location`) are put in their place first, and fields the sociale kaart
// does not use are kept. Exports have exactly this shape, so an export imports again.
import { MunicipalityCode } from '@wor/contracts';
import { formatIssuePath } from '@wor/service-kit';
import { z } from 'zod';
import { fieldProblems } from '../hsds/fields';
import { LocationInput, OrganizationInput, ServiceInput } from '../hsds/input';
import { profileFromHsds } from '../hsds/profile';
import { OrganizationSchema, ServiceSchema } from '../hsds/schemas';
import { TAXONOMIES, termById } from '../hsds/taxonomies';
import { adviceFor } from './advice';
import { DATA_SET_TABLES, emptyTables, type DataSetTables } from './data-set-tables';

export const OrganizationRow = OrganizationInput.extend({
  locations: z.array(LocationInput).max(200).default([]),
}).loose();
export type OrganizationRow = z.output<typeof OrganizationRow>;
export const ServiceRow = ServiceInput;
export type ServiceRow = z.output<typeof ServiceRow>;

const TableRow = z.looseObject({ id: z.string().trim().min(1).max(200) });
export const DataSetShape = z
  .object({
    /** Exports name their municipality; an import goes to the key-user's own map whatever it says. */
    municipality: MunicipalityCode.optional(),
    organizations: z.array(z.unknown()).max(5_000).default([]),
    services: z.array(z.unknown()).max(20_000).default([]),
    ...(Object.fromEntries(DATA_SET_TABLES.map((t) => [t, z.array(TableRow).max(20_000).default([])])) as Record<
      (typeof DATA_SET_TABLES)[number],
      z.ZodDefault<z.ZodArray<typeof TableRow>>
    >),
  })
  .strict();

/** One line of the validation report: which row, which field, why. */
export type RowError = {
  entity: 'organizations' | 'services' | 'data_set' | 'files';
  index: number | null;
  id: string | null;
  path: string;
  reason: string;
  /** In a tabular import: the file and line the row came from. */
  source?: string;
};
/** Same shape: something imported as it came that HSDS or the sociale kaart would have wanted otherwise. */
export type RowWarning = RowError;

export type ParsedDataSet = { organizations: OrganizationRow[]; services: ServiceRow[]; tables: DataSetTables };

const idOf = (row: unknown): string | null =>
  typeof row === 'object' && row !== null && typeof (row as { id?: unknown }).id === 'string'
    ? (row as { id: string }).id
    : null;

type Row = Record<string, unknown>;
const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);
const rows = (value: unknown): Row[] => (Array.isArray(value) ? value.filter(isRow) : []);

/** Puts nested organisations, services, programs and locations where this data set keeps them. */
export const liftNested = (organizations: unknown[], services: unknown[]) => {
  const orgs = organizations.map((o) => (isRow(o) ? { ...o } : o));
  const byId = new Map<string, Row>();
  const locationIds = new Set<string>();
  const register = (o: Row) => {
    if (typeof o.id === 'string') byId.set(o.id, o);
    for (const l of rows(o.locations)) if (typeof l.id === 'string') locationIds.add(l.id);
  };
  orgs.filter(isRow).forEach(register);
  const svcs = services.map((s) => (isRow(s) ? { ...s } : s));
  const serviceIds = new Set(svcs.map(idOf));
  for (const o of orgs.filter(isRow)) {
    if (!Array.isArray(o.services)) continue;
    // a service listed both on its own and in its organisation is one service
    for (const s of o.services)
      if (!serviceIds.has(idOf(s))) svcs.push(isRow(s) ? { ...s, organization_id: s.organization_id ?? o.id } : s);
    delete o.services;
  }
  for (const s of svcs.filter(isRow)) {
    const nested = s.organization;
    if (isRow(nested) && typeof nested.id === 'string') {
      s.organization_id ??= nested.id;
      if (!byId.has(nested.id)) {
        const { services: _s, ...copy } = nested;
        orgs.push(copy);
        register(copy);
      }
      delete s.organization;
    }
    const owner = typeof s.organization_id === 'string' ? byId.get(s.organization_id) : undefined;
    if (owner && isRow(s.program) && typeof s.program.id === 'string') {
      const programs = rows(owner.programs);
      if (!programs.some((p) => p.id === (s.program as Row).id)) owner.programs = [...programs, s.program];
      s.program_id ??= s.program.id;
      delete s.program;
    }
    if (Array.isArray(s.service_at_locations))
      s.service_at_locations = s.service_at_locations.map((sal) => {
        if (!isRow(sal) || !isRow(sal.location) || typeof sal.location.id !== 'string') return sal;
        const location = sal.location;
        const home = (typeof location.organization_id === 'string' && byId.get(location.organization_id)) || owner;
        if (!home) return sal; // no organisation to keep it under: it stays nested, as it came
        if (!locationIds.has(location.id as string)) {
          home.locations = [...rows(home.locations), location];
          locationIds.add(location.id as string);
        }
        const { location: _l, ...rest } = sal;
        return { ...rest, location_id: sal.location_id ?? location.id };
      });
  }
  return { organizations: orgs, services: svcs };
};

const valueAt = (row: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>((v, key) => (isRow(v) || Array.isArray(v) ? (v as Row)[key as string] : undefined), row);

/** HSDS 3.0 conformance of a row as it came: warnings (it imports anyway), missing ids aside (they get one). */
const conformance = (schema: z.ZodType, row: unknown) => {
  const result = schema.safeParse(row);
  if (result.success) return [];
  return result.error.issues
    .filter((i) => !(i.path.at(-1) === 'id' && valueAt(row, i.path) === undefined))
    .map((i) => ({
      path: formatIssuePath(i.path),
      reason:
        i.code === 'unrecognized_keys' || i.code === 'custom'
          ? `${i.message}: not an HSDS 3.0 field, kept as it came`
          : `${i.message}: not as HSDS 3.0 has it, imported as it came`,
    }));
};

/** The built-in taxonomies and terms are every installation's own: exports list them, imports skip them. */
const isBuiltIn = (row: { id: string }) =>
  termById(row.id) !== undefined || Object.values(TAXONOMIES).some((t) => t.id === row.id);

/**
 * Checks every row on its own and against the others (unique ids, references inside the set or to
 * `existing` entries of this map). Returns every problem, not the first, and the warnings.
 */
export const validateDataSet = (
  body: unknown,
  existing: {
    organizationIds: ReadonlySet<string>;
    locationIds: ReadonlySet<string>;
    locationOwners?: ReadonlyMap<string, string>;
  },
):
  | { ok: true; data: ParsedDataSet; warnings: RowWarning[] }
  | { ok: false; errors: RowError[]; warnings: RowWarning[] } => {
  const warnings: RowWarning[] = [];
  const shape = DataSetShape.safeParse(body);
  if (!shape.success)
    return {
      ok: false,
      warnings,
      errors: shape.error.issues.map((i) => ({
        entity: 'data_set',
        index: null,
        id: null,
        path: formatIssuePath(i.path),
        reason: i.message,
      })),
    };
  const lifted = liftNested(shape.data.organizations, shape.data.services);
  const errors: RowError[] = [];
  const organizations: OrganizationRow[] = [];
  const services: ServiceRow[] = [];
  // HSDS conformance of the row as the sociale kaart takes it (with the defaults the API fills in)
  const check = (entity: 'organizations' | 'services', index: number, parsed: unknown, hsds: z.ZodType) => {
    for (const w of [...conformance(hsds, parsed), ...adviceFor(parsed)])
      warnings.push({ entity, index, id: idOf(parsed), ...w });
  };
  // text PostgreSQL cannot store is refused wherever it is, kept fields included
  const nul = (entity: 'organizations' | 'services', index: number, raw: unknown) => {
    const found = fieldProblems(entity === 'services' ? 'service' : 'organization', raw).filter(
      (p) => p.kind === 'nul',
    );
    for (const p of found)
      errors.push({ entity, index, id: idOf(raw), path: formatIssuePath(p.path), reason: p.message });
    return found.length > 0;
  };
  lifted.organizations.forEach((raw, index) => {
    if (nul('organizations', index, raw)) return;
    const row = OrganizationRow.safeParse(raw);
    if (row.success) check('organizations', index, row.data, OrganizationSchema);
    if (row.success) organizations.push(row.data);
    else
      for (const i of row.error.issues)
        errors.push({
          entity: 'organizations',
          index,
          id: idOf(raw),
          path: formatIssuePath(i.path),
          reason: i.message,
        });
  });
  lifted.services.forEach((raw, index) => {
    if (nul('services', index, raw)) return;
    if (isRow(raw) && raw.organization_id === undefined) {
      errors.push({
        entity: 'services',
        index,
        id: idOf(raw),
        path: 'organization_id',
        reason:
          "the sociale kaart needs a service's organisation (key-users' rights and the referral service go by it): " +
          "give organization_id, a nested organization, or list the service in its organization's services",
      });
      return;
    }
    const row = ServiceRow.safeParse(isRow(raw) ? profileFromHsds(raw) : raw);
    if (row.success) check('services', index, row.data, ServiceSchema);
    if (row.success) services.push(row.data);
    else
      for (const i of row.error.issues)
        errors.push({ entity: 'services', index, id: idOf(raw), path: formatIssuePath(i.path), reason: i.message });
  });
  const tables = emptyTables();
  for (const table of DATA_SET_TABLES)
    tables[table] = shape.data[table].filter((row) => !isBuiltIn(row)) as DataSetTables[typeof table];
  if (errors.length > 0) return { ok: false, errors, warnings };

  const seen = new Set<string>();
  const duplicate = (id: string | undefined) => {
    if (id === undefined) return false;
    if (seen.has(id)) return true;
    seen.add(id);
    return false;
  };
  const organizationIds = new Set(existing.organizationIds);
  const locationIds = new Set(existing.locationIds);
  organizations.forEach((o, index) => {
    if (duplicate(o.id))
      errors.push({
        entity: 'organizations',
        index,
        id: o.id ?? null,
        path: 'id',
        reason: 'the id occurs twice in the data set',
      });
    if (o.id) organizationIds.add(o.id);
    o.locations.forEach((l, li) => {
      if (duplicate(l.id))
        errors.push({
          entity: 'organizations',
          index,
          id: o.id ?? null,
          path: `locations[${li}].id`,
          reason: 'the id occurs twice in the data set',
        });
      const owner = l.id === undefined ? undefined : existing.locationOwners?.get(l.id);
      if (owner !== undefined && owner !== o.id)
        errors.push({
          entity: 'organizations',
          index,
          id: o.id ?? null,
          path: `locations[${li}].id`,
          reason: `location ${l.id} belongs to another organization`,
        });
      if (l.id) locationIds.add(l.id);
    });
  });
  services.forEach((s, index) => {
    const id = s.id ?? null;
    if (duplicate(s.id))
      errors.push({ entity: 'services', index, id, path: 'id', reason: 'the id occurs twice in the data set' });
    if (s.organization_id !== undefined && !organizationIds.has(s.organization_id))
      errors.push({
        entity: 'services',
        index,
        id,
        path: 'organization_id',
        reason: `organization ${s.organization_id} is neither in the data set nor on this map`,
      });
    s.service_at_locations.forEach((sal, si) => {
      if (sal.location_id !== undefined && !locationIds.has(sal.location_id))
        errors.push({
          entity: 'services',
          index,
          id,
          path: `service_at_locations[${si}].location_id`,
          reason: `location ${sal.location_id} is neither in the data set nor on this map`,
        });
    });
  });
  return errors.length > 0
    ? { ok: false, errors, warnings }
    : { ok: true, data: { organizations, services, tables }, warnings };
};
