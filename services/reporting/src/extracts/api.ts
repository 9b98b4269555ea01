// GET /extracts/gala?municipality=&period=&format=json|csv&asOf=&generatedAt=
import { MunicipalityCode } from '@wor/contracts';
import { callerOf, HttpProblem, parseQuery, requireRole } from '@wor/service-kit';
import type { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { assertMunicipality, REPORTING_ROLES } from '../monitoring/access';
import { PeriodId } from '../periods/period';
import { buildExtract, PositionNotReachedError, toCsv, toJson } from './extract';

export const ExtractQuery = z
  .object({
    municipality: MunicipalityCode,
    period: PeriodId,
    format: z.enum(['json', 'csv']).default('json'),
    asOf: z.coerce.number().int().positive().optional(),
    generatedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const extractRoutes =
  (pool: Pool) =>
  (router: Router): void => {
    router.get('/extracts/gala', requireRole(...REPORTING_ROLES), async (req, res) => {
      const query = parseQuery(ExtractQuery, req);
      assertMunicipality(callerOf(res), query.municipality);
      let extract;
      try {
        extract = await buildExtract(pool, query);
      } catch (error) {
        if (error instanceof PositionNotReachedError)
          throw new HttpProblem({
            status: 409,
            title: 'Conflict',
            detail: `${error.message} An extract as of a later position could not be reproduced.`,
          });
        throw error;
      }
      const name = `wor-gala-${query.municipality}-${query.period.id}-at-${extract.asOf.position}.${query.format}`;
      res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
      if (query.format === 'csv') res.type('text/csv; charset=utf-8').send(toCsv(extract));
      else res.type('application/json; charset=utf-8').send(toJson(extract));
    });
  };
