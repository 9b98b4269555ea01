// The WoR profile in HSDS terms, both ways: Positieve Gezondheid dimensions, referral reasons and capacity
// are `attributes` linking terms of the built-in taxonomies; wijken are `service_areas` with extent_type
// `wijk`. Exports write them so; imports read them back (and the plain profile fields the API takes).
import type { CapacityStatus } from '@wor/contracts';
import { stableUuid } from './ids';
import { TAXONOMIES, termById, termId, type TaxonomyKind } from './taxonomies';

type Row = Record<string, unknown>;

export const WIJK_EXTENT = 'wijk';
export const MUNICIPALITY_EXTENT = 'cbs_gemeentecode';

const LINK_TYPES: Record<TaxonomyKind, string> = {
  dimension: 'positieve_gezondheid',
  reason: 'verwijsreden',
  capacity: 'capaciteit',
};

export const profileAttribute = (serviceId: string, kind: TaxonomyKind, code: string) => {
  const taxonomy_term_id = termId(kind, code);
  return {
    id: stableUuid('attribute', serviceId, taxonomy_term_id),
    link_id: serviceId,
    link_type: LINK_TYPES[kind],
    link_entity: 'service',
    taxonomy_term_id,
    value: code,
    taxonomy_term: termById(taxonomy_term_id),
  };
};

export const wijkArea = (serviceId: string, wijk: string) => ({
  id: stableUuid('service_area', serviceId, WIJK_EXTENT, wijk),
  service_id: serviceId,
  name: wijk,
  extent_type: WIJK_EXTENT,
  extent: wijk,
});

/** The profile as HSDS attributes and service areas, after the ones the source sent. */
export const profileToHsds = (
  entry: { id: string; wijken: string[]; dimensions: string[]; referral_reasons: string[] } & Row,
  capacity: CapacityStatus,
) => ({
  attributes: [
    ...((entry.attributes as Row[] | undefined) ?? []),
    ...entry.dimensions.map((d) => profileAttribute(entry.id, 'dimension', d)),
    ...entry.referral_reasons.map((r) => profileAttribute(entry.id, 'reason', r)),
    profileAttribute(entry.id, 'capacity', capacity),
  ],
  service_areas: [
    ...((entry.service_areas as Row[] | undefined) ?? []),
    ...entry.wijken.map((w) => wijkArea(entry.id, w)),
  ],
});

const termOf = (attribute: Row) => {
  const nested = attribute.taxonomy_term as Row | undefined;
  const id = typeof attribute.taxonomy_term_id === 'string' ? attribute.taxonomy_term_id : nested?.id;
  return typeof id === 'string' ? termById(id) : undefined;
};

/**
 * A service row as it came → the same row with the profile in plain fields: attributes of the built-in
 * taxonomies and `wijk` service areas give them, unless the row has the plain field (that one counts). Those
 * attributes and areas and the municipality's own area leave the row (the importing map's municipality counts;
 * exports write them again). Everything else stays as it came.
 */
export const profileFromHsds = (row: Row): Row => {
  const attributes = Array.isArray(row.attributes) ? (row.attributes as Row[]) : undefined;
  const areas = Array.isArray(row.service_areas) ? (row.service_areas as Row[]) : undefined;
  if (!attributes && !areas) return row;
  const derived = { wijken: [] as string[], dimensions: [] as string[], referral_reasons: [] as string[] };
  let capacity: string | undefined;
  const add = (values: string[], value: string) => {
    if (!values.includes(value)) values.push(value);
  };
  const foreignAttributes = (attributes ?? []).filter((a) => {
    const term = typeof a === 'object' && a !== null ? termOf(a) : undefined;
    if (!term) return true;
    if (term.taxonomy_id === TAXONOMIES.dimension.id) add(derived.dimensions, term.code);
    else if (term.taxonomy_id === TAXONOMIES.reason.id) add(derived.referral_reasons, term.code);
    else capacity ??= term.code;
    return false;
  });
  const foreignAreas = (areas ?? []).filter((a) => {
    if (typeof a !== 'object' || a === null) return true;
    if (a.extent_type === WIJK_EXTENT && typeof (a.name ?? a.extent) === 'string')
      add(derived.wijken, (a.name ?? a.extent) as string);
    return a.extent_type !== WIJK_EXTENT && a.extent_type !== MUNICIPALITY_EXTENT;
  });
  const { attributes: _a, service_areas: _s, ...rest } = row;
  return {
    ...derived,
    ...(capacity === undefined ? {} : { capacity_status: capacity }),
    ...rest, // plain profile fields sent win over what attributes say
    ...(foreignAttributes.length > 0 ? { attributes: foreignAttributes } : {}),
    ...(foreignAreas.length > 0 ? { service_areas: foreignAreas } : {}),
  };
};
