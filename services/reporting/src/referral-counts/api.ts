import { MunicipalityCode } from '@wor/contracts';
import { callerOf, HttpProblem, parseQuery, requireRole } from '@wor/service-kit';
import type { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { referralCounts } from './projection';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-11');

export const CountsQuery = z
  .object({ municipality: MunicipalityCode, from: Month.default('0000-01'), to: Month.default('9999-12') })
  .strict()
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' });

export const referralCountRoutes =
  (pool: Pool) =>
  (router: Router): void => {
    // Unsuppressed, so for the coordinator (who works the referrals anyway), not for reporting consumers.
    router.get('/referral-counts', requireRole('coordinator', 'admin'), async (req, res) => {
      const query = parseQuery(CountsQuery, req);
      const caller = callerOf(res);
      if (caller.municipality && caller.municipality !== query.municipality)
        throw new HttpProblem({
          status: 403,
          title: 'Forbidden',
          detail: 'Figures of another municipality are not yours to see.',
        });
      res.json({
        municipality: query.municipality,
        months: await referralCounts(pool, query.municipality, query.from, query.to),
      });
    });
  };
