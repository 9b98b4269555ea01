import { randomUUID } from 'node:crypto';
import { projectWorkQueues } from './projection';
import {
  accepted,
  cancelled,
  coachAssigned,
  completed,
  contactAttempted,
  enteredInError,
  failed,
  firstContact,
  onHold,
  rejected,
  requested,
  resumed,
  workQueueFixture,
} from './testing/fixtures';

describe('work-queue projection (real PostgreSQL)', () => {
  let fx: Awaited<ReturnType<typeof workQueueFixture>>;

  beforeEach(async () => {
    fx = await workQueueFixture();
  });

  afterEach(() => fx.close());

  const row = async (referralId: string) =>
    (await fx.pool.query('SELECT * FROM work_queue WHERE referral_id = $1', [referralId])).rows[0];

  it("a requested referral enters its organisation's queue with codes only and a first-contact deadline", async () => {
    const id = randomUUID();
    await fx.append(
      id,
      requested(id, { organisationId: 'welzijn-beterstad', requestedAt: '2026-11-23T10:00:00.000Z' }),
    );
    expect(await fx.settle()).toBe(1);
    const r = await row(id);
    expect(r).toEqual({
      referral_id: id,
      organisation_id: 'welzijn-beterstad',
      practice_id: 'huisarts-beterschap',
      status: 'requested',
      reasons: ['eenzaamheid', 'somberheid-angst'],
      age_band: '65-74',
      sex: 'female',
      coach_id: null,
      requested_at: new Date('2026-11-23T10:00:00.000Z'),
      first_contact_deadline: new Date('2026-11-30T23:00:00.000Z'), // end of Monday, five working days on
      first_contact_at: null,
      version: 0,
    });
    // Nothing sealed or pseudonymous reaches the queue.
    expect(JSON.stringify(r)).not.toMatch(/sub_|ciphertext|consent/);
  });

  it('one batch with new referrals between other steps: the new ones are written in bulk, every step in order', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await fx.append(a, requested(a));
    await fx.append(b, requested(b));
    await fx.append(a, accepted(a), coachAssigned(a, 'coach-anna'));
    await fx.append(c, requested(c));
    await fx.append(b, cancelled(b));
    expect(await fx.settle()).toBe(6);
    expect(await row(a)).toMatchObject({ status: 'accepted', coach_id: 'coach-anna', version: 2 });
    expect(await row(b)).toBeUndefined();
    expect(await row(c)).toMatchObject({
      status: 'requested',
      reasons: ['eenzaamheid', 'somberheid-angst'],
      version: 0,
    });
  });

  it('follows the referral through acceptance, coach, contact, hold and resumption, versioned by the stream', async () => {
    const id = randomUUID();
    await fx.append(id, requested(id), accepted(id), coachAssigned(id, 'coach-anna'));
    await fx.settle();
    expect(await row(id)).toMatchObject({ status: 'accepted', coach_id: 'coach-anna', version: 2 });

    await fx.append(id, coachAssigned(id, 'coach-bert', 'coach-anna'), contactAttempted(id, false));
    await fx.settle();
    expect(await row(id)).toMatchObject({
      status: 'accepted',
      coach_id: 'coach-bert',
      first_contact_at: null,
      version: 4,
    });

    await fx.append(
      id,
      contactAttempted(id, true, '2026-11-25T13:00:00.000Z'),
      firstContact(id, '2026-11-25T13:00:00.000Z'),
    );
    await fx.settle();
    expect(await row(id)).toMatchObject({
      status: 'in-progress',
      first_contact_at: new Date('2026-11-25T13:00:00.000Z'),
      version: 6,
    });

    await fx.append(id, onHold(id));
    await fx.settle();
    expect(await row(id)).toMatchObject({ status: 'on-hold', version: 7 });
    await fx.append(id, resumed(id));
    await fx.settle();
    expect(await row(id)).toMatchObject({ status: 'in-progress', version: 8 });
  });

  it.each([
    ['rejected', rejected],
    ['completed', completed],
    ['failed', failed],
    ['cancelled', cancelled],
    ['entered in error', enteredInError],
  ])('a referral closed as %s leaves the queues', async (_label, close) => {
    const id = randomUUID();
    const other = randomUUID();
    await fx.append(other, requested(other));
    await fx.append(id, requested(id), accepted(id), close(id));
    await fx.settle();
    expect(await row(id)).toBeUndefined();
    expect(await row(other)).toBeDefined();
  });

  it('a referral entered in error after its closure stays gone', async () => {
    const id = randomUUID();
    await fx.append(id, requested(id), accepted(id), firstContact(id), completed(id));
    await fx.settle();
    await fx.append(id, enteredInError(id));
    await fx.settle();
    expect(await row(id)).toBeUndefined();
  });

  it('uses the configured number of working days', async () => {
    await fx.close();
    fx = await workQueueFixture(2);
    const id = randomUUID();
    await fx.append(id, requested(id, { requestedAt: '2026-11-27T10:00:00.000Z' })); // Friday → Mon, Tue
    await fx.settle();
    expect((await row(id)).first_contact_deadline).toEqual(new Date('2026-12-01T23:00:00.000Z'));
  });

  it('ignores streams that are not referrals', async () => {
    await fx.appendTo('something-else-1', { type: 'ReferralAccepted', data: { referralId: 'x' } });
    expect(await fx.settle()).toBe(1);
    expect((await fx.pool.query('SELECT count(*)::int AS n FROM work_queue')).rows[0].n).toBe(0);
  });

  it('replaying the same events (a rebuilt checkpoint) changes nothing', async () => {
    const id = randomUUID();
    await fx.append(id, requested(id), accepted(id), coachAssigned(id, 'coach-anna'));
    await fx.settle();
    const before = await row(id);
    const { events } = await fx.store.readAll('', 100); // settled: all of them are readable
    const client = await fx.pool.connect();
    try {
      await projectWorkQueues()(events, client);
    } finally {
      client.release();
    }
    expect(await row(id)).toEqual(before);
  });
});
