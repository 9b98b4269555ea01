// The coordinator's capacity plans, one event stream per organisation: the source of the capacity_plans table
// (projection.ts) and of the CapacityPlanned integration event reporting counts planned hours from.
import type { CapacityPlannedV1, IntegrationEvent } from '@wor/contracts';
import { handleCommand, type EventMetadata, type EventStore, type RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';
import type { CapacityPlan } from './capacity';

export type CapacityPlanEvent = Readonly<{
  type: 'CapacityPlanned';
  data: Readonly<CapacityPlan & { organisationId: string; plannedBy: string; plannedAt: string }>;
}>;

export type PlanCapacity = Readonly<{
  type: 'PlanCapacity';
  data: CapacityPlan & { organisationId: string };
  metadata: Readonly<{ now: Date; by: string }>;
}>;

/** The latest plan of each month. */
type Plans = Readonly<Record<string, CapacityPlan>>;

const same = (a: CapacityPlan | undefined, b: CapacityPlan): boolean =>
  !!a &&
  a.coachHours === b.coachHours &&
  a.expectedHoursPerReferral === b.expectedHoursPerReferral &&
  a.maxWaitWorkingDays === b.maxWaitWorkingDays;

export const decide = (command: PlanCapacity, plans: Plans): CapacityPlanEvent[] => {
  switch (command.type) {
    case 'PlanCapacity': {
      const { organisationId, ...plan } = command.data;
      // The same plan again changes nothing (a retried PUT publishes nothing new).
      if (same(plans[plan.month], plan)) return [];
      const { now, by } = command.metadata;
      return [
        { type: 'CapacityPlanned', data: { ...plan, organisationId, plannedBy: by, plannedAt: now.toISOString() } },
      ];
    }
    default: {
      const exhaustive: never = command.type;
      throw new Error(`Unknown command ${String(exhaustive)}`);
    }
  }
};

export const evolve = (plans: Plans, event: CapacityPlanEvent): Plans => {
  switch (event.type) {
    case 'CapacityPlanned': {
      const { month, coachHours, expectedHoursPerReferral, maxWaitWorkingDays } = event.data;
      return { ...plans, [month]: { month, coachHours, expectedHoursPerReferral, maxWaitWorkingDays } };
    }
    default: {
      const exhaustive: never = event.type;
      throw new Error(`Unknown event ${String(exhaustive)}`);
    }
  }
};

export const CAPACITY_PLAN_STREAM_PREFIX = 'capacity-plan-';
export const capacityPlanStreamId = (organisationId: string): string =>
  `${CAPACITY_PLAN_STREAM_PREFIX}${organisationId}`;

export const planCapacity = async (
  store: EventStore,
  organisationId: string,
  plan: CapacityPlan,
  by: { userId: string; now: Date; metadata: EventMetadata },
): Promise<void> => {
  await handleCommand(
    store,
    capacityPlanStreamId(organisationId),
    { decide, evolve, initialState: (): Plans => ({}) },
    { type: 'PlanCapacity', data: { ...plan, organisationId }, metadata: { now: by.now, by: by.userId } },
    { metadata: by.metadata },
  );
};

/** What leaves the service: the figures, not who planned them nor the waitlist limit (the service's own rule). */
export const toCapacityIntegrationEvents = (recorded: RecordedEvent): IntegrationEvent[] => {
  if (!recorded.streamId.startsWith(CAPACITY_PLAN_STREAM_PREFIX) || recorded.type !== 'CapacityPlanned') return [];
  const { organisationId, month, coachHours, expectedHoursPerReferral, plannedAt } = (
    recorded as RecordedEvent<CapacityPlanEvent>
  ).data;
  return [
    deriveIntegrationEvent<CapacityPlannedV1>(recorded, 'referral', {
      type: 'CapacityPlanned',
      schemaVersion: 1,
      municipality: null,
      subjectId: null,
      data: { organisationId, month, coachHours, expectedHoursPerReferral, plannedAt },
    }),
  ];
};
