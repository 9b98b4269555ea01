// Import and export of a municipality's map as an HSDS 3.0 JSON data set. An import is all-or-nothing:
// with any bad row nothing is stored, and the report names every bad row with its reason.
import { MunicipalityCode } from '@wor/contracts';
import {
  callerOf,
  HttpProblem,
  parseBody,
  parseQuery,
  requestEventMetadata,
  requireRole,
  type Caller,
} from '@wor/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { awaitProjected, callerMunicipality, requireMapKeeper, type MapContext } from '../context';
import type { LocationEntry, OrganizationEntry, ServiceEntry } from '../hsds/input';
import { validateDataSet, type RowError } from './data-set';
import { importDataSet } from './import';
import { fromTabular, toTabular } from './tabular';

const rejected = (errors: RowError[]) =>
  new HttpProblem({
    status: 422,
    title: 'Unprocessable Content',
    detail: `The data set was not imported: ${errors.length} problem(s); nothing was stored.`,
    extra: {
      errors: errors.map((e) => ({
        ...e,
        path:
          e.entity === 'files'
            ? e.path
            : `${e.entity}${e.index === null ? '' : `[${e.index}]`}${e.path ? `.${e.path}` : ''}`,
        message: e.reason,
      })),
    },
  });

export const ExportQuery = z.object({ municipality: MunicipalityCode }).strict();
export const TabularBody = z.object({ files: z.record(z.string().max(100), z.string().max(20_000_000)) }).strict();

export const exchangeRoutes =
  (ctx: MapContext) =>
  (router: Router): void => {
    const { pool, schema } = ctx.deps;

    /** Validates, then imports in one transaction; 422 with the report when anything is wrong. */
    const runImport = async (
      caller: Caller,
      municipality: string,
      body: unknown,
      sourceOf: (e: RowError) => string | undefined = () => undefined,
    ) => {
      const withSources = (errors: RowError[]) =>
        errors.map((e) => ({ ...e, ...(sourceOf(e) ? { source: sourceOf(e) } : {}) }));
      await ctx.directory.catchUp();
      const [organizations, locations] = await Promise.all([
        pool.query<{ id: string }>('SELECT id FROM map_organizations WHERE municipality = $1', [municipality]),
        pool.query<{ id: string; organization_id: string }>('SELECT id, organization_id FROM map_locations', []),
      ]);
      const organizationIds = new Set(organizations.rows.map((r) => r.id));
      const validated = validateDataSet(body, {
        organizationIds,
        locationIds: new Set(locations.rows.filter((r) => organizationIds.has(r.organization_id)).map((r) => r.id)),
        locationOwners: new Map(locations.rows.map((r) => [r.id, r.organization_id])),
      });
      if (!validated.ok) throw rejected(withSources(validated.errors));
      const result = await importDataSet(
        { pool, schema, municipality, by: caller.subject, now: ctx.deps.now(), metadata: requestEventMetadata(caller) },
        validated.data,
      );
      if (!result.ok) throw rejected(withSources(result.errors));
      if (result.last) await awaitProjected(ctx, result.last.streamId, result.last.version);
      return { municipality, ...result.summary };
    };

    router.post('/imports/hsds', requireRole('key-user'), async (req, res) => {
      const caller = callerOf(res);
      const municipality = callerMunicipality(caller);
      await requireMapKeeper(ctx, caller, municipality);
      res.status(201).json(await runImport(caller, municipality, req.body));
    });

    /** The tabular form: `{files: {"services.csv": "...", ...}}`, converted, then the same import. */
    router.post('/imports/hsds/tabular', requireRole('key-user'), async (req, res) => {
      const caller = callerOf(res);
      const municipality = callerMunicipality(caller);
      await requireMapKeeper(ctx, caller, municipality);
      const { files } = parseBody(TabularBody, req);
      const converted = fromTabular(files);
      if (!converted.ok) throw rejected(converted.errors);
      const { lines } = converted;
      const sourceOf = (e: RowError) =>
        e.index === null
          ? undefined
          : e.entity === 'services'
            ? `services.csv:${lines.services[e.index]}`
            : e.entity === 'organizations'
              ? `organizations.csv:${lines.organizations[e.index]}`
              : undefined;
      res.status(201).json(await runImport(caller, municipality, converted.set, sourceOf));
    });

    const exportSet = async (municipality: string) => {
      const [organizations, locations, services] = await Promise.all([
        pool.query<{ entry: OrganizationEntry }>(
          'SELECT entry FROM map_organizations WHERE municipality = $1 ORDER BY name, id',
          [municipality],
        ),
        pool.query<{ organization_id: string; entry: LocationEntry }>(
          'SELECT organization_id, entry FROM map_locations WHERE municipality = $1 ORDER BY id',
          [municipality],
        ),
        pool.query<{ entry: ServiceEntry; capacity: string }>(
          'SELECT entry, capacity FROM map_services WHERE municipality = $1 AND NOT retired ORDER BY name, id',
          [municipality],
        ),
      ]);
      const locationsOf = (organizationId: string) =>
        locations.rows.filter((l) => l.organization_id === organizationId).map((l) => l.entry);
      return {
        organizations: organizations.rows.map((o) => ({ ...o.entry, locations: locationsOf(o.entry.id) })),
        services: services.rows.map((s) => ({ ...s.entry, capacity_status: s.capacity })),
      };
    };

    router.get('/exports/hsds', async (req, res) => {
      const { municipality } = parseQuery(ExportQuery, req);
      res.json({ municipality, ...(await exportSet(municipality)) });
    });

    router.get('/exports/hsds/tabular', async (req, res) => {
      const { municipality } = parseQuery(ExportQuery, req);
      res.json({ municipality, files: toTabular(await exportSet(municipality)) });
    });
  };
