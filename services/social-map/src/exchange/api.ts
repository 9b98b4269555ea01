// Import and export of a municipality's map as an HSDS 3.0 JSON data set. An import is all-or-nothing:
// with any bad row nothing is stored, and the report names every bad row with its reason.
import { MunicipalityCode } from '@wor/contracts';
import { callerOf, HttpProblem, parseQuery, requestEventMetadata, requireRole } from '@wor/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { awaitProjected, callerMunicipality, requireMapKeeper, type MapContext } from '../context';
import type { LocationEntry, OrganizationEntry, ServiceEntry } from '../hsds/input';
import { validateDataSet, type RowError } from './data-set';
import { importDataSet } from './import';

const rejected = (errors: RowError[]) =>
  new HttpProblem({
    status: 422,
    title: 'Unprocessable Content',
    detail: `The data set was not imported: ${errors.length} problem(s); nothing was stored.`,
    extra: { errors: errors.map((e) => ({ ...e, path: `${e.entity}${e.index === null ? '' : `[${e.index}]`}${e.path ? `.${e.path}` : ''}`, message: e.reason })) },
  });

const ExportQuery = z.object({ municipality: MunicipalityCode }).strict();

export const exchangeRoutes = (ctx: MapContext) => (router: Router): void => {
  const { pool, schema } = ctx.deps;

  router.post('/imports/hsds', requireRole('key-user'), async (req, res) => {
    const caller = callerOf(res);
    const municipality = callerMunicipality(caller);
    await requireMapKeeper(ctx, caller, municipality);
    await ctx.directory.catchUp();
    const [organizations, locations] = await Promise.all([
      pool.query<{ id: string }>('SELECT id FROM map_organizations WHERE municipality = $1', [municipality]),
      pool.query<{ id: string }>('SELECT id FROM map_locations WHERE municipality = $1', [municipality]),
    ]);
    const validated = validateDataSet(req.body, {
      organizationIds: new Set(organizations.rows.map((r) => r.id)),
      locationIds: new Set(locations.rows.map((r) => r.id)),
    });
    if (!validated.ok) throw rejected(validated.errors);
    const result = await importDataSet(
      { pool, schema, municipality, by: caller.subject, now: ctx.deps.now(), metadata: requestEventMetadata(caller) },
      validated.data,
    );
    if (!result.ok) throw rejected(result.errors);
    if (result.last) await awaitProjected(ctx, result.last.streamId, result.last.version);
    res.status(201).json({ municipality, ...result.summary });
  });

  router.get('/exports/hsds', async (req, res) => {
    const { municipality } = parseQuery(ExportQuery, req);
    const [organizations, locations, services] = await Promise.all([
      pool.query<{ entry: OrganizationEntry }>('SELECT entry FROM map_organizations WHERE municipality = $1 ORDER BY name, id', [municipality]),
      pool.query<{ organization_id: string; entry: LocationEntry }>('SELECT organization_id, entry FROM map_locations WHERE municipality = $1 ORDER BY id', [municipality]),
      pool.query<{ entry: ServiceEntry; capacity: string }>('SELECT entry, capacity FROM map_services WHERE municipality = $1 AND NOT retired ORDER BY name, id', [municipality]),
    ]);
    const locationsOf = (organizationId: string) => locations.rows.filter((l) => l.organization_id === organizationId).map((l) => l.entry);
    res.json({
      municipality,
      organizations: organizations.rows.map((o) => ({ ...o.entry, locations: locationsOf(o.entry.id) })),
      services: services.rows.map((s) => ({ ...s.entry, capacity_status: s.capacity })),
    });
  });
};
