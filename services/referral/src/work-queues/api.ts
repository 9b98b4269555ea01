// Work-queue routes: an organisation's open referrals (unassigned, by status) and a coach's own.
// The organisation always comes from the caller's token, never from the request.
import { callerOf, forbidden, parseQuery, requireRole, type Caller } from '@wor/service-kit';
import type { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { listWorkQueue, OPEN_STATUSES } from './queries';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const Paging = {
  status: z.enum(OPEN_STATUSES).optional(),
  overdue: flag.optional(),
  sort: z.enum(['waiting', '-waiting']).default('-waiting'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  size: z.coerce.number().int().min(1).max(100).default(25),
};
/** Query of GET /work-queues/organisation (exported for the OpenAPI document). */
export const OrganisationQuery = z.object({ ...Paging, unassigned: flag.optional() }).strict();
/** Query of GET /work-queues/mine. */
export const MineQuery = z.object(Paging).strict();

export type WorkQueueRouteDeps = Readonly<{
  pool: Pick<Pool, 'query'>;
  now: () => Date;
  /** Read-your-writes: when given, awaited before each read (e.g. the projector's catchUp). */
  catchUp?: () => Promise<void>;
}>;

const organisationOf = (caller: Caller): string => {
  if (!caller.organisationId) throw forbidden('Work queues belong to an organisation; the token names none.');
  return caller.organisationId;
};

export const workQueueRoutes =
  ({ pool, now, catchUp }: WorkQueueRouteDeps) =>
  (router: Router): void => {
    router.get('/work-queues/organisation', requireRole('coach', 'coordinator'), async (req, res) => {
      const query = parseQuery(OrganisationQuery, req);
      const organisationId = organisationOf(callerOf(res));
      await catchUp?.();
      res.json(await listWorkQueue(pool, { ...query, organisationId, now: now() }));
    });

    router.get('/work-queues/mine', requireRole('coach'), async (req, res) => {
      const query = parseQuery(MineQuery, req);
      const caller = callerOf(res);
      // Also scoped to the organisation: a coach who moved on sees nothing of the old one's referrals.
      const organisationId = organisationOf(caller);
      await catchUp?.();
      res.json(await listWorkQueue(pool, { ...query, organisationId, coachId: caller.subject, now: now() }));
    });
  };
