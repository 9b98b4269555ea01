import { parseIntegrationEvent } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { decide, evolve, toCapacityIntegrationEvents, type CapacityPlanEvent, type PlanCapacity } from './plans';

const now = new Date('2026-11-02T09:00:00.000Z');
const plan = (coachHours: number): PlanCapacity => ({
  type: 'PlanCapacity',
  data: {
    organisationId: 'welzijn-beterstad',
    month: '2026-11',
    coachHours,
    expectedHoursPerReferral: 8.5,
    maxWaitWorkingDays: 40,
  },
  metadata: { now, by: 'coordinator-1' },
});

describe('capacity plans', () => {
  it('records a new or changed plan, and nothing for the same plan again', () => {
    const [first] = decide(plan(40), {});
    expect(first).toEqual({
      type: 'CapacityPlanned',
      data: { ...plan(40).data, plannedBy: 'coordinator-1', plannedAt: now.toISOString() },
    });
    const planned = evolve({}, first!);
    expect(decide(plan(40), planned)).toEqual([]);
    expect(decide(plan(60), planned)).toHaveLength(1);
  });

  it('publishes the figures as CapacityPlanned.v1, without who planned it', () => {
    const [event] = decide(plan(40), {}) as [CapacityPlanEvent];
    const recorded = {
      ...event,
      eventId: '6f1e2d3c-4b5a-4968-8776-655443322110',
      streamId: 'capacity-plan-welzijn-beterstad',
      streamVersion: 0,
      recordedAt: now,
      metadata: { correlationId: 'c-1' },
      checkpoint: '1:1',
    } as RecordedEvent;
    const [published, ...rest] = toCapacityIntegrationEvents(recorded);
    expect(rest).toEqual([]);
    expect(parseIntegrationEvent(published)).toEqual({ ok: true, event: published });
    expect(JSON.stringify(published)).not.toMatch(/coordinator-1|maxWait/);
    // Other streams are not capacity plans.
    expect(toCapacityIntegrationEvents({ ...recorded, streamId: 'referral-x' } as RecordedEvent)).toEqual([]);
  });
});
