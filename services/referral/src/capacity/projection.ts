// What capacity counts, projected from the referral service's own events: one row per referral with its
// organisation, whether it is still open, and the coach hours recorded when it closed. Codes only.
import type { EventStore, RecordedEvent } from '@wor/event-store';
import { createProjector, type Projector } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '@wor/service-kit';
import type { ReferralEvent } from '../referral/events';
import type { CapacityPlan } from './capacity';
import { CAPACITY_PLAN_STREAM_PREFIX, type CapacityPlanEvent } from './plans';
import { insertRows, projectInRuns } from '../referral/projection-runs';

/** The capacity tables (referral migration 2 runs it). */
export const capacityTables = `
  CREATE TABLE IF NOT EXISTS capacity_referrals (
    referral_id text PRIMARY KEY,
    organisation_id text NOT NULL,
    practice_id text NOT NULL,
    requested_at timestamptz NOT NULL,
    accepted boolean NOT NULL DEFAULT false,
    closed_at timestamptz,
    coach_hours numeric NOT NULL DEFAULT 0);
  CREATE INDEX IF NOT EXISTS capacity_referrals_open ON capacity_referrals (organisation_id, requested_at) WHERE closed_at IS NULL;
  CREATE TABLE IF NOT EXISTS capacity_plans (
    organisation_id text NOT NULL,
    month text NOT NULL,
    coach_hours numeric NOT NULL,
    expected_hours_per_referral numeric NOT NULL,
    max_wait_working_days integer NOT NULL,
    set_by text NOT NULL,
    set_at timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, month));
`;

const apply = async (event: ReferralEvent, referralId: string, tx: PoolClient): Promise<void> => {
  const close = (at: string, hours: number) =>
    tx.query(
      'UPDATE capacity_referrals SET closed_at = $2, coach_hours = $3 WHERE referral_id = $1 AND closed_at IS NULL',
      [referralId, at, hours],
    );
  switch (event.type) {
    case 'ReferralRequested':
      return; // written in bulk by projectInRuns
    case 'ReferralAccepted':
      await tx.query('UPDATE capacity_referrals SET accepted = true WHERE referral_id = $1', [referralId]);
      return;
    case 'ReferralCompleted':
      return void (await close(event.data.completedAt, event.data.coachHours));
    case 'ReferralFailed':
      return void (await close(event.data.failedAt, event.data.coachHours));
    case 'ReferralRejected':
      return void (await close(event.data.rejectedAt, 0));
    case 'ReferralCancelled':
      return void (await close(event.data.cancelledAt, 0));
    case 'ReferralEnteredInError':
      await tx.query('DELETE FROM capacity_referrals WHERE referral_id = $1', [referralId]);
      return;
    default:
      return; // the other steps do not change what capacity counts
  }
};

const CAPACITY_COLUMNS = {
  referral_id: 'text',
  organisation_id: 'text',
  practice_id: 'text',
  requested_at: 'timestamptz',
};

export const createCapacityProjector = (options: {
  store: EventStore;
  pool: Pool;
  schema: string;
  logger: Logger;
}): Projector => {
  const log = options.logger.child({ projection: 'capacity' });
  return createProjector({
    name: 'capacity',
    store: options.store,
    pool: options.pool,
    schema: options.schema,
    project: (events: readonly RecordedEvent[], tx: PoolClient) =>
      projectInRuns(events, {
        row: ({ data: d }, referralId) => ({
          referral_id: referralId,
          organisation_id: d.recipientOrganisationId,
          practice_id: d.practiceId,
          requested_at: d.requestedAt,
        }),
        insert: (rows) => insertRows(tx, 'capacity_referrals', CAPACITY_COLUMNS, rows),
        apply: async (recorded) => {
          if (recorded.streamId.startsWith('referral-'))
            await apply(recorded as unknown as ReferralEvent, recorded.streamId.slice('referral-'.length), tx);
          else if (recorded.streamId.startsWith(CAPACITY_PLAN_STREAM_PREFIX) && recorded.type === 'CapacityPlanned') {
            const { organisationId, plannedBy, plannedAt, ...plan } = (recorded as unknown as CapacityPlanEvent).data;
            await savePlan(tx, organisationId, plan, plannedBy, new Date(plannedAt));
          }
        },
      }),
    onError: (error) => log.error({ err: error }, 'capacity projection failed; retrying'),
  });
};

type Db = Pick<Pool, 'query'>;

export const findPlan = async (db: Db, organisationId: string, month: string): Promise<CapacityPlan | undefined> => {
  const { rows } = await db.query(
    `SELECT month, coach_hours, expected_hours_per_referral, max_wait_working_days FROM capacity_plans
     WHERE organisation_id = $1 AND month = $2`,
    [organisationId, month],
  );
  const r = rows[0];
  return (
    r && {
      month: r.month,
      coachHours: Number(r.coach_hours),
      expectedHoursPerReferral: Number(r.expected_hours_per_referral),
      maxWaitWorkingDays: r.max_wait_working_days,
    }
  );
};

/** The plan as the capacity_plans table keeps it: written by the projection of CapacityPlanned only. */
const savePlan = async (db: Db, organisationId: string, plan: CapacityPlan, by: string, at: Date): Promise<void> => {
  await db.query(
    `INSERT INTO capacity_plans (organisation_id, month, coach_hours, expected_hours_per_referral, max_wait_working_days,
       set_by, set_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (organisation_id, month) DO UPDATE SET coach_hours = EXCLUDED.coach_hours,
       expected_hours_per_referral = EXCLUDED.expected_hours_per_referral,
       max_wait_working_days = EXCLUDED.max_wait_working_days, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
    [organisationId, plan.month, plan.coachHours, plan.expectedHoursPerReferral, plan.maxWaitWorkingDays, by, at],
  );
};

/** Open referrals now, and the hours recorded at closure in the month (Amsterdam months, as the plan). */
export const figuresFor = async (db: Db, organisationId: string, month: string) => {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE closed_at IS NULL)::int AS open,
            coalesce(sum(coach_hours) FILTER (
              WHERE to_char(closed_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') = $2), 0)::float AS recorded
     FROM capacity_referrals WHERE organisation_id = $1`,
    [organisationId, month],
  );
  return { openReferrals: rows[0].open as number, hoursRecorded: rows[0].recorded as number };
};

/** A referral's place among its organisation's referrals not yet accepted (1 = next), or null once taken up. */
export const waitingPositionOf = async (db: Db, referralId: string) => {
  const { rows } = await db.query(
    `SELECT r.organisation_id, r.practice_id, r.accepted, r.closed_at,
            (SELECT count(*)::int FROM capacity_referrals o
              WHERE o.organisation_id = r.organisation_id AND o.closed_at IS NULL AND NOT o.accepted
                AND (o.requested_at, o.referral_id) <= (r.requested_at, r.referral_id)) AS position
     FROM capacity_referrals r WHERE r.referral_id = $1`,
    [referralId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    organisationId: r.organisation_id as string,
    practiceId: r.practice_id as string,
    position: r.accepted || r.closed_at ? null : (r.position as number),
  };
};
