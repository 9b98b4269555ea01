// The Task topic's queue filled from a run of referral events in one statement: the requester of a
// referral requested in the same run, a recorded one, or the Task index's; numbers per subscription in
// the run's order after its last; subscriptions turned off and other practices get nothing.
import { randomUUID } from 'node:crypto';
import type { IntegrationEvent } from '@wor/contracts';
import { withTransaction } from '@wor/event-store-postgres';
import { startReferralService, type ReferralServiceUnderTest } from '../../testing/harness';
import { queueNotifications, queueNotificationsMany } from './store';

const change = (type: string, referralId: string, data: Record<string, unknown> = {}): IntegrationEvent =>
  ({
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    occurredAt: '2026-12-04T10:00:00.000Z',
    producer: 'referral',
    municipality: 'GM0001',
    subjectId: null,
    data: { referralId, ...data },
  }) as unknown as IntegrationEvent;

const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

describe('queueing Task notifications for a run of events (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeEach(async () => {
    svc = await startReferralService();
  });
  afterEach(() => svc.stop());

  const subscription = async (organisationId: string, status: string, eventsSinceStart: number) => {
    const id = randomUUID();
    await svc.pool.query(
      `INSERT INTO fhir_subscription (subscription_id, organisation_id, status, request, version, last_changed_at, events_since_start)
       VALUES ($1, $2, $3, '{}', 1, now(), $4)`,
      [id, organisationId, status, eventsSinceStart],
    );
    return id;
  };
  const queued = async () =>
    (
      await svc.pool.query<{ subscription_id: string; event_number: string; referral_id: string; event_type: string }>(
        `SELECT subscription_id, event_number::text, referral_id, event_type FROM fhir_subscription_notification
         ORDER BY subscription_id::text COLLATE "C", fhir_subscription_notification.event_number`,
      )
    ).rows;
  const numbers = async () =>
    Object.fromEntries(
      (
        await svc.pool.query<{ subscription_id: string; n: string }>(
          'SELECT subscription_id, events_since_start::text AS n FROM fhir_subscription',
        )
      ).rows.map((r) => [r.subscription_id, Number(r.n)]),
    );

  it('gives the same queue as one event at a time', async () => {
    const a1 = await subscription('practice-a', 'active', 5);
    const aOff = await subscription('practice-a', 'off', 0);
    const b = await subscription('practice-b', 'requested', 0);
    const [r1, r2, r3, r4, r5] = [0, 1, 2, 3, 4].map(() => randomUUID()) as [string, string, string, string, string];
    await svc.pool.query(
      `INSERT INTO fhir_task_index (referral_id, practice_id, organisation_id, status, authored_on, version)
       VALUES ($1, 'practice-a', 'welzijn', 'accepted', now(), 2)`,
      [r3],
    );
    await svc.pool.query(
      `INSERT INTO fhir_subscription_requester (referral_id, practice_id) VALUES ($1, 'practice-b')`,
      [r5],
    );
    const run = [
      change('ReferralRequested', r1, { practiceId: 'practice-a', requestedAt: '2026-12-04T09:00:00.000Z' }),
      change('ReferralRequested', r2, { practiceId: 'practice-b', requestedAt: '2026-12-04T09:00:01.000Z' }),
      change('ReferralAccepted', r1, { acceptedAt: '2026-12-04T09:00:02.000Z' }),
      change('ReferralCompleted', r3, { completedAt: '2026-12-04T09:00:03.000Z' }),
      change('ReferralRejected', r4, { rejectedAt: '2026-12-04T09:00:04.000Z' }), // no requester known
      change('ReferralAccepted', r5, { acceptedAt: '2026-12-04T09:00:05.000Z' }),
      change('SomethingElse', r1),
    ];
    await withTransaction(svc.pool, (tx) => queueNotificationsMany(run, tx));
    const expected = [
      { subscription_id: a1, event_number: '6', referral_id: r1, event_type: 'ReferralRequested' },
      { subscription_id: a1, event_number: '7', referral_id: r1, event_type: 'ReferralAccepted' },
      { subscription_id: a1, event_number: '8', referral_id: r3, event_type: 'ReferralCompleted' },
      { subscription_id: b, event_number: '1', referral_id: r2, event_type: 'ReferralRequested' },
      { subscription_id: b, event_number: '2', referral_id: r5, event_type: 'ReferralAccepted' },
    ].sort((x, y) => byText(x.subscription_id, y.subscription_id) || Number(x.event_number) - Number(y.event_number));
    expect(await queued()).toEqual(expected);
    expect(await numbers()).toEqual({ [a1]: 8, [aOff]: 0, [b]: 2 });
    const requesters = await svc.pool.query('SELECT referral_id, practice_id FROM fhir_subscription_requester');
    expect(requesters.rows).toEqual(
      expect.arrayContaining([
        { referral_id: r1, practice_id: 'practice-a' },
        { referral_id: r2, practice_id: 'practice-b' },
      ]),
    );

    // One at a time, the same run on fresh referrals continues the numbers the same way.
    await svc.pool.query('DELETE FROM fhir_subscription_notification');
    const again = [randomUUID(), randomUUID()];
    for (const event of [
      change('ReferralRequested', again[0]!, { practiceId: 'practice-a' }),
      change('ReferralAccepted', again[0]!),
      change('ReferralRequested', again[1]!, { practiceId: 'practice-b' }),
    ])
      await withTransaction(svc.pool, (tx) => queueNotifications(event, tx));
    expect((await queued()).map((q) => [q.subscription_id, q.event_number, q.referral_id])).toEqual(
      [
        [a1, '9', again[0]],
        [a1, '10', again[0]],
        [b, '3', again[1]],
      ].sort((x, y) => byText(x[0]!, y[0]!) || Number(x[1]) - Number(y[1])),
    );
  });
});
