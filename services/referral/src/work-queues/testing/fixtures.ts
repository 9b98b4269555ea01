// Referral domain events for the work-queue specs, appended to a real event store.
import { randomUUID } from 'node:crypto';
import { type DomainEvent, type EventStore } from '@wor/event-store';
import { createPostgresEventStore } from '@wor/event-store-postgres';
import { migrateReferral } from '../../migrations';
import { createLogger } from '@wor/service-kit';
import { eventually, freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import type { ReferralEvent } from '../../referral/events';
import { referralStreamId } from '../../referral/referral';
import { createWorkQueueProjector } from '../projection';

const subjectId = `sub_${'7'.repeat(32)}`;
const sealed = (label: string) => ({
  subjectId,
  alg: 'A256GCM' as const,
  iv: 'aXY=',
  tag: 'dGFn',
  ciphertext: Buffer.from(label).toString('base64'),
});

export const requested = (
  referralId: string,
  {
    organisationId = 'welzijn-beterstad',
    requestedAt = '2026-11-23T10:00:00.000Z',
  }: { organisationId?: string; requestedAt?: string } = {},
): ReferralEvent => ({
  type: 'ReferralRequested',
  data: {
    referralId,
    consentId: randomUUID(),
    subjectId,
    patient: sealed('Jan Jansen, 0612345678'),
    municipality: 'GM0363',
    practiceId: 'huisarts-beterschap',
    recipientOrganisationId: organisationId,
    referrerRole: 'huisarts',
    reasons: ['eenzaamheid', 'somberheid-angst'],
    ageBand: '65-74',
    sex: 'female',
    urgencyNote: sealed('belt liever na 10 uur'),
    requestedAt,
    requestedBy: 'gp-1',
  },
});

const at = '2026-11-24T09:00:00.000Z';
export const accepted = (referralId: string): ReferralEvent => ({
  type: 'ReferralAccepted',
  data: { referralId, organisationId: 'welzijn-beterstad', acceptedAt: at, acceptedBy: 'coordinator-1' },
});
export const coachAssigned = (
  referralId: string,
  coachId: string,
  previousCoachId: string | null = null,
): ReferralEvent => ({
  type: 'CoachAssigned',
  data: { referralId, coachId, previousCoachId, assignedAt: at, assignedBy: 'coordinator-1' },
});
export const contactAttempted = (referralId: string, reached: boolean, attemptedAt = at): ReferralEvent => ({
  type: 'ContactAttempted',
  data: { referralId, attemptNumber: 1, reached, attemptedAt, recordedBy: 'coach-anna' },
});
export const firstContact = (referralId: string, contactedAt = at): ReferralEvent => ({
  type: 'FirstContactMade',
  data: { referralId, contactedAt },
});
export const onHold = (referralId: string): ReferralEvent => ({
  type: 'ReferralPutOnHold',
  data: { referralId, reason: 'patient-unwell', resumeTo: 'in-progress', onHoldAt: at },
});
export const resumed = (referralId: string): ReferralEvent => ({
  type: 'ReferralResumed',
  data: { referralId, status: 'in-progress', resumedAt: at },
});
export const completed = (referralId: string): ReferralEvent => ({
  type: 'ReferralCompleted',
  data: {
    referralId,
    outcome: 'linked-to-activity',
    positiveHealth: null,
    gasScores: [],
    coachHours: 4,
    completedAt: at,
  },
});
export const rejected = (referralId: string): ReferralEvent => ({
  type: 'ReferralRejected',
  data: {
    referralId,
    organisationId: 'welzijn-beterstad',
    reason: 'outside-area',
    rejectedAt: at,
    rejectedBy: 'coordinator-1',
  },
});
export const failed = (referralId: string): ReferralEvent => ({
  type: 'ReferralFailed',
  data: { referralId, reason: 'declined', coachHours: 1, failedAt: at },
});
export const cancelled = (referralId: string): ReferralEvent => ({
  type: 'ReferralCancelled',
  data: { referralId, cancelledBy: 'referrer', cancelledAt: at },
});
export const enteredInError = (referralId: string): ReferralEvent => ({
  type: 'ReferralEnteredInError',
  data: { referralId, markedAt: at },
});

/** A fresh schema with an event store, the queue table and a projector to run by hand. */
export const workQueueFixture = async (firstContactWorkingDays?: number) => {
  const { pool, schema, close } = await freshSchemaPool('wq');
  await migrateReferral(pool, schema);
  const store: EventStore = createPostgresEventStore({ pool, schema });
  const logger = createLogger('work-queues-test', { level: 'silent' });
  const projector = createWorkQueueProjector({
    store,
    pool,
    schema,
    logger,
    ...(firstContactWorkingDays === undefined ? {} : { firstContactWorkingDays }),
  });
  let appended = 0;
  let projected = 0;
  const append = async (referralId: string, ...events: ReferralEvent[]) => {
    await appendTo(referralStreamId(referralId), ...events);
  };
  const appendTo = async (streamId: string, ...events: DomainEvent[]) => {
    await store.append(streamId, events, { expectedVersion: 'any' });
    appended += events.length;
  };
  /**
   * Projects until every appended event is in. readAll holds events back while any transaction in the
   * cluster that is older is still running (other test runs share this PostgreSQL), so one runOnce may see
   * nothing yet.
   */
  const settle = () =>
    eventually(
      async () => {
        projected += await projector.runOnce();
        return projected >= appended ? projected : undefined;
      },
      30_000,
      'the work-queue projection to catch up',
    );
  return { pool: pool as Pool, schema, store, projector, append, appendTo, settle, logger, close };
};
