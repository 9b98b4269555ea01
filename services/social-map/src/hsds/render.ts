// Entries as HSDS 3.0 JSON: the shape of the read API and of exports. WoR profile fields (dimensions,
// referral reasons, capacity) become `attribute`s linking the built-in taxonomy terms; the municipality
// and its wijken become `service_area`s. A few convenience fields (`capacity_status`, `stale`, ...) are
// added next to the HSDS fields; HSDS consumers ignore them.
import type { CapacityStatus } from '@wor/contracts';
import { stableUuid } from './ids';
import type { LocationEntry, OrganizationEntry, ServiceEntry } from './input';
import { profileToHsds } from './profile';

/** Drops undefined values: HSDS fields are absent rather than null. */
const clean = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Drops undefined values and empty lists (exports leave out what is not there). */
export const compact = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (Array.isArray(v) && v.length === 0 ? undefined : v))) as T;

export type ServiceMeta = {
  municipality: string;
  capacity: CapacityStatus;
  retired: boolean;
  reviewedAt: string;
  lastModified: string;
};

/** The service with its one-to-one and one-to-many parts (locations by id; the API nests them). */
export const renderService = (entry: ServiceEntry, meta: ServiceMeta) => {
  const { wijken, dimensions, referral_reasons, service_at_locations, ...hsds } = entry;
  const id = entry.id;
  const linked = <T extends object>(items: T[]) => items.map((item) => ({ ...item, service_id: id }));
  const profile = profileToHsds(entry, meta.capacity);
  const free = entry.cost_options.length > 0 && entry.cost_options.every((c) => (c.amount ?? 0) === 0);
  return clean({
    ...hsds,
    status: meta.retired ? 'defunct' : entry.status,
    assured_date: meta.reviewedAt.slice(0, 10),
    last_modified: meta.lastModified,
    phones: linked(entry.phones),
    contacts: entry.contacts.map((c) => ({
      ...c,
      service_id: id,
      phones: c.phones.map((p) => ({ ...p, contact_id: c.id })),
    })),
    schedules: linked(entry.schedules),
    languages: linked(entry.languages),
    cost_options: linked(entry.cost_options),
    service_areas: [
      {
        id: stableUuid('service_area', id, meta.municipality),
        service_id: id,
        name: meta.municipality,
        extent_type: 'cbs_gemeentecode',
        extent: meta.municipality,
      },
      ...profile.service_areas.map((a) => ({ ...a, service_id: id })),
    ],
    service_at_locations: service_at_locations.map((sal) => ({ ...sal, service_id: id })),
    attributes: profile.attributes,
    // WoR profile, in plain fields for coaches' screens
    municipality: meta.municipality,
    wijken,
    dimensions,
    referral_reasons,
    capacity_status: meta.capacity,
    free_of_charge: free,
  });
};
export type HsdsService = ReturnType<typeof renderService>;

export const renderOrganization = (entry: OrganizationEntry, municipality: string) =>
  clean({
    ...entry,
    phones: entry.phones.map((p) => ({ ...p, organization_id: entry.id })),
    contacts: entry.contacts.map((c) => ({
      ...c,
      organization_id: entry.id,
      phones: c.phones.map((p) => ({ ...p, contact_id: c.id })),
    })),
    municipality,
  });

export const renderLocation = (entry: LocationEntry, organizationId: string, municipality: string) =>
  clean({
    ...entry,
    organization_id: organizationId,
    addresses: entry.addresses.map((a) => ({ ...a, location_id: entry.id })),
    accessibility: entry.accessibility.map((a) => ({ ...a, location_id: entry.id })),
    languages: entry.languages.map((l) => ({ ...l, location_id: entry.id })),
    phones: entry.phones.map((p) => ({ ...p, location_id: entry.id })),
    municipality,
  });

/**
 * A service as exports carry it: the entry as it came, the WoR profile as HSDS attributes and service
 * areas, and `assured_date` the last time a key-user confirmed it (staleness survives a round trip).
 */
export const exportService = (entry: ServiceEntry, capacity: CapacityStatus, reviewedAt: string) => {
  const { wijken: _w, dimensions: _d, referral_reasons: _r, ...hsds } = entry;
  return compact({ ...hsds, ...profileToHsds(entry, capacity), assured_date: reviewedAt.slice(0, 10) });
};
