// Coach capacity over REST: the coordinator plans the month's coach hours; GP systems, referrers and the
// organisation read the status before referring; either party of a referral reads its waiting position.
import { OrganisationId } from '@wor/contracts';
import type { EventStore } from '@wor/event-store';
import {
  callerOf,
  forbidden,
  HttpProblem,
  parseBody,
  parseParams,
  requestEventMetadata,
  type Caller,
} from '@wor/service-kit';
import type { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { amsterdamDay } from '../work-queues/working-days';
import {
  capacityOf,
  DEFAULT_EXPECTED_HOURS_PER_REFERRAL,
  DEFAULT_MAX_WAIT_WORKING_DAYS,
  monthOf,
  type Capacity,
} from './capacity';
import { planCapacity } from './plans';
import { figuresFor, findPlan, waitingPositionOf } from './projection';

export const PlanBody = z
  .object({
    coachHours: z.number().min(0).max(100_000),
    expectedHoursPerReferral: z.number().min(1).max(100).default(DEFAULT_EXPECTED_HOURS_PER_REFERRAL),
    maxWaitWorkingDays: z.number().int().min(1).max(250).default(DEFAULT_MAX_WAIT_WORKING_DAYS),
  })
  .strict();
export const MonthParams = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM') });
export const OrganisationParams = z.object({ organisationId: OrganisationId });
const ReferralParams = z.object({ referralId: z.uuid() });

const organisationOf = (caller: Caller): string => {
  if (!caller.organisationId) throw forbidden('Capacity belongs to an organisation; the token names none.');
  return caller.organisationId;
};

export type CapacityRouteDeps = Readonly<{
  store: EventStore;
  pool: Pool;
  now: () => Date;
  catchUp: () => Promise<void>;
}>;

export const createCapacityReader = ({ pool, now }: Pick<CapacityRouteDeps, 'pool' | 'now'>) => ({
  /** An organisation the platform knows: it planned capacity or received a referral. */
  async knows(organisationId: string): Promise<boolean> {
    const { rows } = await pool.query(
      `SELECT EXISTS (SELECT 1 FROM capacity_plans WHERE organisation_id = $1)
           OR EXISTS (SELECT 1 FROM capacity_referrals WHERE organisation_id = $1) AS known`,
      [organisationId],
    );
    return rows[0].known === true;
  },
  async capacity(organisationId: string): Promise<Capacity> {
    const month = monthOf(amsterdamDay(now()));
    const [plan, figures] = await Promise.all([
      findPlan(pool, organisationId, month),
      figuresFor(pool, organisationId, month),
    ]);
    return capacityOf(plan, figures, month);
  },
});

export const capacityRoutes =
  ({ store, pool, now, catchUp }: CapacityRouteDeps) =>
  (router: Router): void => {
    const reader = createCapacityReader({ pool, now });

    router.put('/capacity/plans/:month', async (req, res) => {
      const { month } = parseParams(MonthParams, req);
      const body = parseBody(PlanBody, req);
      const caller = callerOf(res);
      await planCapacity(
        store,
        organisationOf(caller),
        { month, ...body },
        {
          userId: caller.subject,
          now: now(),
          metadata: requestEventMetadata(caller),
        },
      );
      res.json({ organisationId: caller.organisationId, month, ...body });
    });

    router.get('/capacity/organisations/:organisationId', async (req, res) => {
      const { organisationId } = parseParams(OrganisationParams, req);
      await catchUp();
      res.setHeader('Cache-Control', 'no-cache').json({ organisationId, ...(await reader.capacity(organisationId)) });
    });

    router.get('/referrals/:referralId/waiting-position', async (req, res) => {
      const { referralId } = parseParams(ReferralParams, req);
      const caller = callerOf(res);
      await catchUp();
      const found = await waitingPositionOf(pool, referralId);
      // Not a party: the same 404 as for an unknown referral.
      if (!found || ![found.organisationId, found.practiceId].includes(caller.organisationId ?? ''))
        throw new HttpProblem({ status: 404, title: 'Not Found', detail: 'No such referral.' });
      const capacity = await reader.capacity(found.organisationId);
      res.json({
        referralId,
        position: found.position,
        status: capacity.status,
        expectedWaitWorkingDays: capacity.expectedWaitWorkingDays,
      });
    });
  };
