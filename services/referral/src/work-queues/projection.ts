// Work queues: a catch-up projection of the referral service's own domain events into one row per open
// referral. Rows hold codes and ids only (no contact details, no notes), so a queue can be listed
// without decrypting anything. Closed referrals leave the table; the row's version is the stream
// version of the last event applied, for ETags on the referral itself.
import { type EventStore, type RecordedEvent } from '@wor/event-store';
import { createProjector, type Projector } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '@wor/service-kit';
import { statusAfter, type ReferralEvent, type ReferralStatus } from '../referral/events';
import { firstContactDeadline, isDutchPublicHoliday, type HolidayCalendar } from './working-days';
import { insertRows, projectInRuns } from '../referral/projection-runs';

export const DEFAULT_FIRST_CONTACT_WORKING_DAYS = 5;

export type WorkQueueSettings = Readonly<{
  /** Working days after the request day within which first contact is due (default 5). */
  firstContactWorkingDays?: number;
  isHoliday?: HolidayCalendar;
}>;

const REFERRAL_STREAM = 'referral-';

/** Closed referrals (and ones entered in error) leave the queues. */
const CLOSED: readonly ReferralStatus[] = ['rejected', 'completed', 'failed', 'cancelled', 'entered-in-error'];

/** Applies referral domain events to the queue table, using `tx` only. */
export const projectWorkQueues =
  (settings: WorkQueueSettings = {}) =>
  async (events: readonly RecordedEvent[], tx: PoolClient): Promise<void> => {
    const workingDays = settings.firstContactWorkingDays ?? DEFAULT_FIRST_CONTACT_WORKING_DAYS;
    const isHoliday = settings.isHoliday ?? isDutchPublicHoliday;
    const deadline = (requestedAt: Date) => firstContactDeadline(requestedAt, workingDays, isHoliday);
    await projectInRuns(events, {
      // Only codes: the sealed patient, the urgency note and the subject id stay in the stream.
      row: ({ data: d }, referralId, version) => ({
        referral_id: referralId,
        organisation_id: d.recipientOrganisationId,
        practice_id: d.practiceId,
        status: 'requested',
        reasons: d.reasons,
        age_band: d.ageBand,
        sex: d.sex,
        requested_at: d.requestedAt,
        first_contact_deadline: deadline(new Date(d.requestedAt)).toISOString(),
        version,
      }),
      insert: (rows) => insertRows(tx, 'work_queue', WORK_QUEUE_COLUMNS, rows),
      apply: async (recorded) => {
        if (!recorded.streamId.startsWith(REFERRAL_STREAM)) return;
        const referralId = recorded.streamId.slice(REFERRAL_STREAM.length);
        await apply(recorded as unknown as ReferralEvent, referralId, recorded.streamVersion, tx);
      },
    });
  };

const WORK_QUEUE_COLUMNS = {
  referral_id: 'text',
  organisation_id: 'text',
  practice_id: 'text',
  status: 'text',
  reasons: 'text[]',
  age_band: 'text',
  sex: 'text',
  requested_at: 'timestamptz',
  first_contact_deadline: 'timestamptz',
  version: 'int',
};

const apply = async (event: ReferralEvent, referralId: string, version: number, tx: PoolClient): Promise<void> => {
  const update = (set: string, values: unknown[] = []) =>
    tx.query(`UPDATE work_queue SET version = $2${set ? `, ${set}` : ''} WHERE referral_id = $1`, [
      referralId,
      version,
      ...values,
    ]);

  switch (event.type) {
    case 'ReferralRequested':
      return; // written in bulk by projectInRuns
    case 'CoachAssigned':
      await update('coach_id = $3', [event.data.coachId]);
      return;
    case 'FirstContactMade':
      await update(`status = 'in-progress', first_contact_at = $3`, [event.data.contactedAt]);
      return;
    default: {
      // Every other event moves the row to the status it leads to (events.ts says which, for every event).
      const status = statusAfter(event);
      if (status && CLOSED.includes(status))
        await tx.query('DELETE FROM work_queue WHERE referral_id = $1', [referralId]);
      else await update(status ? 'status = $3' : '', status ? [status] : []);
    }
  }
};

export type WorkQueueProjectorOptions = WorkQueueSettings &
  Readonly<{
    store: EventStore;
    pool: Pool;
    schema: string;
    logger: Logger;
    pollIntervalMs?: number;
  }>;

/** The background projection (start/stop/runOnce/catchUp); migrate with `migrateWorkQueues` first. */
export const createWorkQueueProjector = (options: WorkQueueProjectorOptions): Projector => {
  const { store, pool, schema, logger } = options;
  const log = logger.child({ projection: 'work-queues' });
  return createProjector({
    name: 'work-queues',
    store,
    pool,
    schema,
    project: projectWorkQueues(options),
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    onError: (error) => log.error({ err: error }, 'work-queue projection failed; retrying'),
  });
};
