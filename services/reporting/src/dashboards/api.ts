// GET /dashboards/thermometer, /dashboards/trends, /dashboards/practices, /dashboards/capacity: suppressed
// aggregates only.
import { MunicipalityCode } from '@wor/contracts';
import { callerOf, parseQuery, requireRole } from '@wor/service-kit';
import type { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { assertMunicipality, REPORTING_ROLES } from '../monitoring/access';
import { PeriodId } from '../periods/period';
import { buildExtract } from '../extracts/extract';
import { capacityMonitoring } from '../capacity/capacity';
import { practiceRates, thermometer, trends } from './dashboards';

export const PeriodQuery = z.object({ municipality: MunicipalityCode, period: PeriodId }).strict();
export const YearQuery = z
  .object({ municipality: MunicipalityCode, year: z.coerce.number().int().min(2000).max(2999) })
  .strict();

export const dashboardRoutes =
  (pool: Pool) =>
  (router: Router): void => {
    router.get('/dashboards/thermometer', requireRole(...REPORTING_ROLES), async (req, res) => {
      const query = parseQuery(PeriodQuery, req);
      assertMunicipality(callerOf(res), query.municipality);
      res.json(thermometer(await buildExtract(pool, query)));
    });
    router.get('/dashboards/practices', requireRole(...REPORTING_ROLES), async (req, res) => {
      const query = parseQuery(PeriodQuery, req);
      assertMunicipality(callerOf(res), query.municipality);
      res.json(practiceRates(await buildExtract(pool, query)));
    });
    router.get('/dashboards/capacity', requireRole(...REPORTING_ROLES), async (req, res) => {
      const query = parseQuery(PeriodQuery, req);
      assertMunicipality(callerOf(res), query.municipality);
      res.json(await capacityMonitoring(pool, query));
    });
    router.get('/dashboards/trends', requireRole(...REPORTING_ROLES), async (req, res) => {
      const query = parseQuery(YearQuery, req);
      assertMunicipality(callerOf(res), query.municipality);
      res.json(await trends(pool, query.municipality, query.year));
    });
  };
