// An HSDS 3.0 JSON data set of one municipality's map (WoR profile): organisations with their
// locations, and services. Exports have exactly this shape, so an export imports again.
import { formatIssuePath } from '@wor/service-kit';
import { z } from 'zod';
import { LocationInput, OrganizationInput, ServiceInput } from '../hsds/input';

export const OrganizationRow = OrganizationInput.extend({
  locations: z.array(LocationInput).max(200).default([]),
}).strict();
export type OrganizationRow = z.output<typeof OrganizationRow>;
export const ServiceRow = ServiceInput;
export type ServiceRow = z.output<typeof ServiceRow>;

export const DataSetShape = z
  .object({
    organizations: z.array(z.unknown()).max(5_000).default([]),
    services: z.array(z.unknown()).max(20_000).default([]),
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

export type ParsedDataSet = { organizations: OrganizationRow[]; services: ServiceRow[] };

const idOf = (row: unknown): string | null =>
  typeof row === 'object' && row !== null && typeof (row as { id?: unknown }).id === 'string'
    ? (row as { id: string }).id
    : null;

/**
 * Checks every row on its own and against the others (unique ids, references inside the set or to
 * `existing` entries of this map). Returns every problem, not the first.
 */
export const validateDataSet = (
  body: unknown,
  existing: {
    organizationIds: ReadonlySet<string>;
    locationIds: ReadonlySet<string>;
    locationOwners?: ReadonlyMap<string, string>;
  },
): { ok: true; data: ParsedDataSet } | { ok: false; errors: RowError[] } => {
  const shape = DataSetShape.safeParse(body);
  if (!shape.success)
    return {
      ok: false,
      errors: shape.error.issues.map((i) => ({
        entity: 'data_set',
        index: null,
        id: null,
        path: formatIssuePath(i.path),
        reason: i.message,
      })),
    };

  const errors: RowError[] = [];
  const organizations: OrganizationRow[] = [];
  const services: ServiceRow[] = [];
  shape.data.organizations.forEach((raw, index) => {
    const row = OrganizationRow.safeParse(raw);
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
  shape.data.services.forEach((raw, index) => {
    const row = ServiceRow.safeParse(raw);
    if (row.success) services.push(row.data);
    else
      for (const i of row.error.issues)
        errors.push({ entity: 'services', index, id: idOf(raw), path: formatIssuePath(i.path), reason: i.message });
  });
  if (errors.length > 0) return { ok: false, errors };

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
    if (!organizationIds.has(s.organization_id))
      errors.push({
        entity: 'services',
        index,
        id,
        path: 'organization_id',
        reason: `organization ${s.organization_id} is neither in the data set nor on this map`,
      });
    s.service_at_locations.forEach((sal, si) => {
      if (!locationIds.has(sal.location_id))
        errors.push({
          entity: 'services',
          index,
          id,
          path: `service_at_locations[${si}].location_id`,
          reason: `location ${sal.location_id} is neither in the data set nor on this map`,
        });
    });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, data: { organizations, services } };
};
