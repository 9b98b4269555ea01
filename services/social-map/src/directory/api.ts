// The read API in HSDS 3.0 shape (paged lists, nested single entries), for coaches and any signed-in
// caller; plus the key-users' own views: stale entries and statistics.
import { CapacityStatus, MunicipalityCode, PositiveHealthDimension, ReferralReason } from '@wor/contracts';
import { callerOf, hasRole, HttpProblem, parseParams, parseQuery, requireRole } from '@wor/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { callerMunicipality, etag, requireMapKeeper, type MapContext } from '../context';
import { TAXONOMIES, TERMS, termById } from '../hsds/taxonomies';
import { recordView, statisticsFor } from '../statistics/statistics';
import { serviceStreamId } from '../services/service';
import { pageOf, PageQuery } from './page';
import { searchServices, type ServiceFilter } from './search';

export const IdParams = z.object({ id: z.uuid() }).strict();
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const list = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(10));

/** HSDS API parameters accepted everywhere: lists here are always in full, JSON form. */
const HsdsParams = { format: z.literal('json').optional(), full: bool.optional(), full_service: bool.optional() };

/** Query parameters of `GET /services` (HSDS 3.0 API and the WoR filters). */
export const ServicesQuery = z
  .object({
    ...PageQuery,
    search: z.string().trim().min(1).max(200).optional(),
    /** the first slice's name for `search` */
    q: z.string().trim().min(1).max(200).optional(),
    municipality: MunicipalityCode.optional(),
    wijk: z.string().trim().min(1).max(100).optional(),
    dimension: list(PositiveHealthDimension).optional(),
    reason: list(ReferralReason).optional(),
    age: z.coerce.number().int().min(0).max(120).optional(),
    free: bool.optional(),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'a two-letter language code like nl')
      .optional(),
    capacity: list(CapacityStatus).optional(),
    organization_id: z.uuid().optional(),
    taxonomy_term_id: z.uuid().optional(),
    modified_after: z.iso.datetime({ offset: true }).optional(),
    include_retired: bool.optional(),
    ...HsdsParams,
    taxonomy_id: z.uuid().optional(),
    /** HSDS: only each service's id and last_modified (paged like any list) */
    minimal: bool.optional(),
  })
  .strict();

/** Query parameters of `GET /organizations` and `GET /locations`. */
export const ListQuery = z
  .object({
    ...PageQuery,
    ...HsdsParams,
    search: z.string().trim().min(1).max(200).optional(),
    municipality: MunicipalityCode.optional(),
    organization_id: z.uuid().optional(),
  })
  .strict();

/** Query parameters of `GET /service_at_locations` (HSDS 3.0 API). */
export const ServiceAtLocationsQuery = ListQuery.extend({
  taxonomy_term_id: z.uuid().optional(),
  taxonomy_id: z.uuid().optional(),
  modified_after: z.iso.datetime({ offset: true }).optional(),
  /** a postcode (1234 AB, or 1234 for the whole area) of a location on the map */
  postcode: z
    .string()
    .trim()
    .transform((v) => v.replace(/\s+/g, '').toUpperCase())
    .pipe(z.string().regex(/^[0-9A-Z-]{2,10}$/, 'a postcode like 3500 AA'))
    .optional(),
  /** metres from the centre of `postcode` (the mean position of the map's locations there) */
  proximity: z.coerce.number().int().min(1).max(500_000).optional(),
})
  .strict()
  .refine((q) => q.proximity === undefined || q.postcode !== undefined, {
    path: ['proximity'],
    message: 'proximity needs a postcode to measure from',
  });

/** `full_service` on organisations. */
export const OrganizationQuery = z.object({ ...HsdsParams }).strict();

export const MonthRange = z
  .object({
    from: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
    to: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
  })
  .strict();

export const TaxonomyQuery = z.object({ ...PageQuery, ...HsdsParams, search: z.string().optional() }).strict();
export const TermQuery = z
  .object({
    ...PageQuery,
    ...HsdsParams,
    search: z.string().optional(),
    taxonomy_id: z.uuid().optional(),
    top_only: bool.optional(),
    parent_id: z.uuid().optional(),
  })
  .strict();

const notFound = (what: string, id: string) =>
  new HttpProblem({ status: 404, title: 'Not Found', detail: `${what} ${id} is not on the map.` });

/** HSDS `taxonomy_term_id` → the WoR filter it stands for. */
const termFilter = (id: string): Partial<ServiceFilter> => {
  const term = termById(id);
  if (!term) return { attributeTermId: id };
  if (term.taxonomy_id === TAXONOMIES.dimension.id) return { dimensions: [term.code] };
  if (term.taxonomy_id === TAXONOMIES.reason.id) return { reasons: [term.code] };
  return { capacity: [term.code as CapacityStatus] };
};

/** HSDS `taxonomy_id`: services with any term of that taxonomy. */
const taxonomyFilter = (id: string): Partial<ServiceFilter> => {
  const codes = TERMS.filter((t) => t.taxonomy_id === id).map((t) => t.code);
  if (id === TAXONOMIES.dimension.id) return { dimensions: codes };
  if (id === TAXONOMIES.reason.id) return { reasons: codes };
  if (id === TAXONOMIES.capacity.id) return {}; // every service has a capacity
  return { attributeTaxonomyId: id };
};

export const directoryRoutes =
  (ctx: MapContext) =>
  (router: Router): void => {
    const { pool } = ctx.deps;

    router.get('/', (req, res) => {
      res.json({
        version: '3.0',
        profile: 'https://wor-platform.nl/hsds-profile',
        // this service's own document, on the address it was called at (behind a proxy: trust proxy)
        openapi_url: `${req.protocol}://${req.get('host')}/openapi.json`,
      });
    });

    router.get('/services', async (req, res) => {
      const query = parseQuery(ServicesQuery, req);
      const search = query.search ?? query.q;
      const filter: ServiceFilter = {
        search,
        municipality: query.municipality,
        wijk: query.wijk,
        dimensions: query.dimension,
        reasons: query.reason,
        age: query.age,
        free: query.free,
        language: query.language,
        capacity: query.capacity,
        organizationId: query.organization_id,
        modifiedAfter: query.modified_after,
        includeRetired: query.include_retired,
        ...(query.taxonomy_id ? taxonomyFilter(query.taxonomy_id) : {}),
        ...(query.taxonomy_term_id ? termFilter(query.taxonomy_term_id) : {}),
      };
      const { total, contents } = await searchServices(
        pool,
        filter,
        { page: query.page, perPage: query.per_page },
        ctx.deps.now(),
      );
      const items = query.minimal ? contents.map((s) => ({ id: s.id, last_modified: s.last_modified })) : contents;
      res.json(pageOf(items, total, query.page, query.per_page));
    });

    router.get('/services/:id', async (req, res) => {
      const { id } = parseParams(IdParams, req);
      const { rows } = await pool.query<{ doc: Record<string, unknown>; stale: boolean; organization: unknown }>(
        `SELECT s.doc, s.reviewed_at < $2::timestamptz - interval '12 months' AS stale, o.doc AS organization
       FROM map_services s LEFT JOIN map_organizations o ON o.id = s.organization_id WHERE s.id = $1`,
        [id, ctx.deps.now().toISOString()],
      );
      const row = rows[0];
      if (!row) throw notFound('Service', id);
      const sals = await pool.query<{ id: string; location: unknown }>(
        `SELECT sal.id, l.doc AS location
       FROM map_service_at_locations sal LEFT JOIN map_locations l ON l.id = sal.location_id WHERE sal.service_id = $1`,
        [id],
      );
      const locationOf = new Map(sals.rows.map((s) => [s.id, s.location]));
      const caller = callerOf(res);
      // Key-users looking after the map are not the consultations the statistics are about.
      if (!hasRole(caller, 'key-user')) await recordView(pool, id, ctx.deps.now());
      const { currentVersion } = await ctx.store.readStream(serviceStreamId(id));
      res.setHeader('ETag', etag(currentVersion)).json({
        ...row.doc,
        stale: row.stale,
        ...(row.organization ? { organization: row.organization } : {}),
        // as the entry has them (contacts, phones, schedules... kept), each with its location nested
        service_at_locations: ((row.doc.service_at_locations ?? []) as { id: string }[]).map((s) => {
          const location = locationOf.get(s.id);
          return location ? { ...s, location } : s;
        }),
      });
    });

    /** HSDS `full_service`: each organisation with its (not retired) services in full. */
    const withServices = async (docs: Record<string, unknown>[], full: boolean | undefined) => {
      if (!full || docs.length === 0) return docs;
      const { rows } = await pool.query<{ organization_id: string; doc: unknown }>(
        'SELECT organization_id, doc FROM map_services WHERE organization_id = ANY ($1) AND NOT retired ORDER BY name, id',
        [docs.map((d) => d.id)],
      );
      return docs.map((d) => ({ ...d, services: rows.filter((r) => r.organization_id === d.id).map((r) => r.doc) }));
    };

    router.get('/organizations', async (req, res) => {
      const q = parseQuery(ListQuery, req);
      const { rows } = await pool.query<{ doc: Record<string, unknown>; total: string }>(
        `SELECT doc, count(*) OVER () AS total FROM map_organizations
       WHERE ($1::text IS NULL OR name ILIKE '%' || $1 || '%') AND ($2::text IS NULL OR municipality = $2)
       ORDER BY name, id LIMIT $3 OFFSET $4`,
        [q.search ?? null, q.municipality ?? null, q.per_page, (q.page - 1) * q.per_page],
      );
      const docs = await withServices(
        rows.map((r) => r.doc),
        q.full_service,
      );
      res.json(pageOf(docs, Number(rows[0]?.total ?? 0), q.page, q.per_page));
    });

    router.get('/organizations/:id', async (req, res) => {
      const { id } = parseParams(IdParams, req);
      const q = parseQuery(OrganizationQuery, req);
      const { rows } = await pool.query<{ doc: Record<string, unknown> }>(
        'SELECT doc FROM map_organizations WHERE id = $1',
        [id],
      );
      if (!rows[0]) throw notFound('Organization', id);
      const locations = await pool.query<{ doc: unknown }>(
        'SELECT doc FROM map_locations WHERE organization_id = $1 ORDER BY id',
        [id],
      );
      const [doc] = await withServices(
        [{ ...rows[0].doc, locations: locations.rows.map((l) => l.doc) }],
        q.full_service,
      );
      res.json(doc);
    });

    router.get('/locations', async (req, res) => {
      const q = parseQuery(ListQuery, req);
      const { rows } = await pool.query<{ doc: unknown; total: string }>(
        `SELECT doc, count(*) OVER () AS total FROM map_locations
       WHERE ($1::text IS NULL OR doc->>'name' ILIKE '%' || $1 || '%') AND ($2::text IS NULL OR municipality = $2)
         AND ($3::uuid IS NULL OR organization_id = $3)
       ORDER BY doc->>'name', id LIMIT $4 OFFSET $5`,
        [q.search ?? null, q.municipality ?? null, q.organization_id ?? null, q.per_page, (q.page - 1) * q.per_page],
      );
      res.json(
        pageOf(
          rows.map((r) => r.doc),
          Number(rows[0]?.total ?? 0),
          q.page,
          q.per_page,
        ),
      );
    });

    router.get('/locations/:id', async (req, res) => {
      const { id } = parseParams(IdParams, req);
      const { rows } = await pool.query<{ doc: unknown }>('SELECT doc FROM map_locations WHERE id = $1', [id]);
      if (!rows[0]) throw notFound('Location', id);
      res.json(rows[0].doc);
    });

    const serviceAtLocationSql = `SELECT sal.id, sal.service_id, sal.location_id, sal.description, l.doc AS location, count(*) OVER () AS total,
      (SELECT e FROM jsonb_array_elements(s.doc->'service_at_locations') e WHERE e->>'id' = sal.id::text) AS doc
    FROM map_service_at_locations sal JOIN map_services s ON s.id = sal.service_id LEFT JOIN map_locations l ON l.id = sal.location_id`;
    type SalRow = {
      id: string;
      service_id: string;
      location_id: string;
      description: string | null;
      location: unknown;
      total: string;
      /** the service_at_location as the service's entry has it (kept fields included) */
      doc: Record<string, unknown> | null;
    };
    const sal = (r: SalRow) => ({
      ...r.doc,
      id: r.id,
      service_id: r.service_id,
      location_id: r.location_id,
      ...(r.description ? { description: r.description } : {}),
      ...(r.location ? { location: r.location } : {}),
    });

    /** A location with a position in WGS84 degrees (HSDS allows any number; proximity skips the others). */
    const onEarth = (doc: string) =>
      `jsonb_typeof(${doc}->'latitude') = 'number' AND jsonb_typeof(${doc}->'longitude') = 'number'
       AND abs((${doc}->>'latitude')::float8) <= 90 AND abs((${doc}->>'longitude')::float8) <= 180`;

    /** The centre of a postcode: the mean position of the map's locations with it (a 4-digit one: its area). */
    const postcodeCentre = async (postcode: string) => {
      const { rows } = await pool.query<{ lat: number | null; long: number | null }>(
        `SELECT avg((doc->>'latitude')::float8) AS lat, avg((doc->>'longitude')::float8) AS long FROM map_locations
         WHERE ${onEarth('doc')} AND EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'addresses') a
           WHERE upper(replace(a->>'postal_code', ' ', '')) LIKE $1 || '%')`,
        [postcode],
      );
      const centre = rows[0];
      if (!centre || centre.lat === null || centre.long === null)
        throw new HttpProblem({
          status: 422,
          title: 'Unprocessable Content',
          detail: `No location on the map has postcode ${postcode}, so it has no centre to measure proximity from.`,
        });
      return { lat: centre.lat, long: centre.long };
    };

    router.get('/service_at_locations', async (req, res) => {
      const q = parseQuery(ServiceAtLocationsQuery, req);
      const centre = q.proximity === undefined || q.postcode === undefined ? null : await postcodeCentre(q.postcode);
      const { rows } = await pool.query<SalRow>(
        `${serviceAtLocationSql}
       WHERE NOT s.retired AND ($1::text IS NULL OR s.name ILIKE '%' || $1 || '%') AND ($2::text IS NULL OR sal.municipality = $2)
         AND ($3::uuid IS NULL OR s.organization_id = $3)
         AND ($6::text IS NULL OR s.doc->'attributes' @> jsonb_build_array(jsonb_build_object('taxonomy_term_id', $6::text)))
         AND ($7::text IS NULL OR s.doc->'attributes' @> jsonb_build_array(jsonb_build_object('taxonomy_term', jsonb_build_object('taxonomy_id', $7::text))))
         AND ($8::timestamptz IS NULL OR s.last_modified >= $8)
         AND ($9::text IS NULL OR $10::float8 IS NOT NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements(l.doc->'addresses') a
           WHERE upper(replace(a->>'postal_code', ' ', '')) LIKE $9 || '%'))
         AND ($10::float8 IS NULL OR (${onEarth('l.doc')} AND 2 * 6371000 * asin(least(1, sqrt(
           power(sin(radians((l.doc->>'latitude')::float8 - $11::float8) / 2), 2)
           + cos(radians($11::float8)) * cos(radians((l.doc->>'latitude')::float8))
             * power(sin(radians((l.doc->>'longitude')::float8 - $12::float8) / 2), 2)))) <= $10::float8))
       ORDER BY s.name, sal.id LIMIT $4 OFFSET $5`,
        [
          q.search ?? null,
          q.municipality ?? null,
          q.organization_id ?? null,
          q.per_page,
          (q.page - 1) * q.per_page,
          q.taxonomy_term_id ?? null,
          q.taxonomy_id ?? null,
          q.modified_after ?? null,
          q.postcode ?? null,
          q.proximity ?? null,
          centre?.lat ?? null,
          centre?.long ?? null,
        ],
      );
      res.json(pageOf(rows.map(sal), Number(rows[0]?.total ?? 0), q.page, q.per_page));
    });

    router.get('/service_at_locations/:id', async (req, res) => {
      const { id } = parseParams(IdParams, req);
      const { rows } = await pool.query<SalRow>(`${serviceAtLocationSql} WHERE sal.id = $1`, [id]);
      if (!rows[0]) throw notFound('Service at location', id);
      res.json(sal(rows[0]));
    });

    const taxonomies = Object.values(TAXONOMIES);

    router.get('/taxonomies', (req, res) => {
      const q = parseQuery(TaxonomyQuery, req);
      const matching = taxonomies.filter((t) => !q.search || t.name.toLowerCase().includes(q.search.toLowerCase()));
      res.json(
        pageOf(matching.slice((q.page - 1) * q.per_page, q.page * q.per_page), matching.length, q.page, q.per_page),
      );
    });

    router.get('/taxonomies/:id', (req, res) => {
      const { id } = parseParams(IdParams, req);
      const found = taxonomies.find((t) => t.id === id);
      if (!found) throw notFound('Taxonomy', id);
      res.json(found);
    });

    router.get('/taxonomy_terms', (req, res) => {
      const q = parseQuery(TermQuery, req);
      // The built-in terms are all top-level: `top_only` changes nothing, a `parent_id` finds none.
      const matching = TERMS.filter(
        (t) =>
          !q.parent_id &&
          (!q.taxonomy_id || t.taxonomy_id === q.taxonomy_id) &&
          (!q.search || t.name.toLowerCase().includes(q.search.toLowerCase())),
      );
      res.json(
        pageOf(matching.slice((q.page - 1) * q.per_page, q.page * q.per_page), matching.length, q.page, q.per_page),
      );
    });

    router.get('/taxonomy_terms/:id', (req, res) => {
      const { id } = parseParams(IdParams, req);
      const found = termById(id);
      if (!found) throw notFound('Taxonomy term', id);
      res.json(found);
    });

    /** The key-users' to-do list: their municipality's entries not reviewed for 12 months. */
    router.get('/stale-services', requireRole('key-user'), async (req, res) => {
      const q = parseQuery(z.object(PageQuery).strict(), req);
      const caller = callerOf(res);
      const municipality = callerMunicipality(caller);
      await requireMapKeeper(ctx, caller, municipality);
      const { total, contents } = await searchServices(
        pool,
        { municipality, staleOnly: true },
        { page: q.page, perPage: q.per_page },
        ctx.deps.now(),
      );
      res.json(pageOf(contents, total, q.page, q.per_page));
    });

    router.get('/statistics', requireRole('key-user'), async (req, res) => {
      const { from, to } = parseQuery(MonthRange, req);
      const caller = callerOf(res);
      const municipality = callerMunicipality(caller);
      await requireMapKeeper(ctx, caller, municipality);
      res.json({ municipality, from, to, entries: await statisticsFor(pool, municipality, from, to) });
    });
  };
