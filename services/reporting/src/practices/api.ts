// Practice list sizes (registered patients): reference data the municipality keeps. A change is
// recorded as reporting's own event in its log, so rebuilds and "as of" extracts see the size that
// was known at each position.
import { MunicipalityCode, OrganisationId } from '@wor/contracts';
import { callerOf, parseBody, parseParams, parseQuery, requireRole } from '@wor/service-kit';
import type { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool } from 'pg';
import { z } from 'zod';
import { assertMunicipality, REPORTING_ROLES } from '../monitoring/access';
import { recordEvent } from '../monitoring/record';
import type { PracticeListSizeSetV1 } from '../received-events/events';

export const Params = z.object({ practiceId: OrganisationId }).strict();
export const Body = z
  .object({ municipality: MunicipalityCode, registeredPatients: z.number().int().min(0).max(1_000_000) })
  .strict();
export const Query = z.object({ municipality: MunicipalityCode }).strict();

export const practiceRoutes =
  (pool: Pool, now: () => Date) =>
  (router: Router): void => {
    router.put('/practices/:practiceId/list-size', requireRole(...REPORTING_ROLES), async (req, res) => {
      const { practiceId } = parseParams(Params, req);
      const body = parseBody(Body, req);
      assertMunicipality(callerOf(res), body.municipality);
      const at = now().toISOString();
      const event: PracticeListSizeSetV1 = {
        eventId: randomUUID(),
        type: 'PracticeListSizeSet',
        schemaVersion: 1,
        occurredAt: at,
        producer: 'reporting',
        municipality: body.municipality,
        subjectId: null,
        data: { practiceId, registeredPatients: body.registeredPatients, setAt: at },
      };
      const position = await withTransaction(pool, (tx) => recordEvent(event, tx));
      res.json({
        practiceId,
        municipality: body.municipality,
        registeredPatients: body.registeredPatients,
        setAt: at,
        position,
      });
    });

    router.get('/practices', requireRole(...REPORTING_ROLES), async (req, res) => {
      const { municipality } = parseQuery(Query, req);
      assertMunicipality(callerOf(res), municipality);
      const { rows } = await pool.query<{ practice_id: string; registered_patients: number; set_at: Date }>(
        `SELECT DISTINCT ON (practice_id) practice_id, registered_patients, set_at FROM practice_list_sizes
         WHERE municipality = $1 ORDER BY practice_id, position DESC`,
        [municipality],
      );
      res.json({
        municipality,
        items: rows.map((r) => ({
          practiceId: r.practice_id,
          registeredPatients: r.registered_patients,
          setAt: r.set_at.toISOString(),
        })),
      });
    });
  };
