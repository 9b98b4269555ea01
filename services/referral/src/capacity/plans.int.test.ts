// The coordinator's plan leaves the referral service as CapacityPlanned (figures only) through its relay.
import { parseIntegrationEvent, Topics, type IntegrationEvent } from '@wor/contracts';
import { eventually } from '@wor/test-support';
import { coordinator, gp, startReferralService, type ReferralServiceUnderTest } from '../testing/harness';

describe('capacity plans as integration events (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  const published: IntegrationEvent[] = [];
  let subscription: { stop(): Promise<void> };
  beforeAll(async () => {
    svc = await startReferralService();
    subscription = await svc.transport.subscribe({
      groupId: `${svc.prefix}capacity-test`,
      topics: [svc.prefix + Topics.referral],
      handle: async (message) => {
        const parsed = parseIntegrationEvent(JSON.parse(message.value));
        if (parsed.ok) published.push(parsed.event);
      },
    });
  });
  afterAll(async () => {
    await subscription.stop();
    await svc.stop();
  });

  const planned = () => published.filter((e) => e.type === 'CapacityPlanned');

  it('publishes each new plan once, without who planned it; the status reads the same plan', async () => {
    const put = (body: object) => svc.http(coordinator, 'PUT', '/capacity/plans/2026-12', body);
    expect((await put({ coachHours: 40 })).status).toBe(200);
    await eventually(async () => (planned().length === 1 ? true : undefined), 10_000, 'the plan to be published');
    expect(planned()[0]).toMatchObject({
      producer: 'referral',
      municipality: null,
      subjectId: null,
      data: { organisationId: 'welzijn-beterstad', month: '2026-12', coachHours: 40, expectedHoursPerReferral: 8.5 },
    });
    expect(JSON.stringify(planned()[0])).not.toContain(coordinator.sub);

    // The same plan again is no news; a changed plan is.
    expect((await put({ coachHours: 40 })).status).toBe(200);
    expect((await put({ coachHours: 60, expectedHoursPerReferral: 10 })).status).toBe(200);
    await eventually(async () => (planned().length === 2 ? true : undefined), 10_000, 'the new plan to be published');
    expect(planned().map((e) => e.type === 'CapacityPlanned' && e.data.coachHours)).toEqual([40, 60]);
    const stored = await svc.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE stream_id = 'capacity-plan-welzijn-beterstad'`,
    );
    expect(stored.rows[0].n).toBe(2);

    // The capacity_plans table is the projection of those events.
    await eventually(
      async () => {
        const { rows } = await svc.pool.query(
          `SELECT coach_hours::float AS hours FROM capacity_plans WHERE organisation_id = 'welzijn-beterstad' AND month = '2026-12'`,
        );
        return rows[0]?.hours === 60 ? true : undefined;
      },
      10_000,
      'the plan projected',
    );
    expect((await svc.http(gp, 'GET', '/capacity/organisations/welzijn-beterstad')).status).toBe(200);
  });
});
