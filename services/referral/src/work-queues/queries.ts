// Reading the work queues. Waiting days and `overdue` are computed at query time from the stored
// requestedAt and deadline, so they are never stale.
import type { Pool } from 'pg';
import { calendarDaysBetween } from './working-days';

type Db = Pick<Pool, 'query'>;

export const OPEN_STATUSES = ['requested', 'accepted', 'in-progress', 'on-hold'] as const;
export type OpenStatus = (typeof OPEN_STATUSES)[number];

export type WorkQueueItem = Readonly<{
  referralId: string;
  status: OpenStatus;
  reasons: string[];
  ageBand: string;
  sex: string;
  practiceId: string;
  coachId: string | null;
  requestedAt: string;
  firstContactDeadline: string;
  firstContactAt: string | null;
  /** Calendar days (Amsterdam dates) since the referral was requested. */
  waitingDays: number;
  /** No first contact yet and the deadline has passed. */
  overdue: boolean;
  /** Stream version of the referral as this row last saw it. */
  version: number;
}>;

export type WorkQueuePage = Readonly<{ items: WorkQueueItem[]; page: number; size: number; total: number }>;

export type WorkQueueFilter = Readonly<{
  organisationId: string;
  coachId?: string;
  status?: OpenStatus;
  unassigned?: boolean;
  overdue?: boolean;
  /** `-waiting` (default): longest waiting first; `waiting`: most recent first. */
  sort: 'waiting' | '-waiting';
  page: number;
  size: number;
  now: Date;
}>;

type Row = {
  referral_id: string;
  organisation_id: string;
  practice_id: string;
  status: OpenStatus;
  reasons: string[];
  age_band: string;
  sex: string;
  coach_id: string | null;
  requested_at: Date;
  first_contact_deadline: Date;
  first_contact_at: Date | null;
  version: number;
  total: string;
};

export const listWorkQueue = async (db: Db, filter: WorkQueueFilter): Promise<WorkQueuePage> => {
  const where = ['organisation_id = $1'];
  const values: unknown[] = [filter.organisationId];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filter.coachId !== undefined) where.push(`coach_id = ${param(filter.coachId)}`);
  if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
  if (filter.unassigned === true) where.push('coach_id IS NULL');
  if (filter.unassigned === false) where.push('coach_id IS NOT NULL');
  if (filter.overdue !== undefined) {
    const overdue = `(first_contact_at IS NULL AND ${param(filter.now)}::timestamptz > first_contact_deadline)`;
    where.push(filter.overdue ? overdue : `NOT ${overdue}`);
  }
  // Longest waiting = earliest request; the referral id keeps pages stable between equal times.
  const order =
    filter.sort === '-waiting' ? 'requested_at ASC, referral_id ASC' : 'requested_at DESC, referral_id DESC';
  const { rows } = await db.query<Row>(
    `SELECT *, count(*) OVER () AS total FROM work_queue WHERE ${where.join(' AND ')}
     ORDER BY ${order} LIMIT ${param(filter.size)} OFFSET ${param((filter.page - 1) * filter.size)}`,
    values,
  );
  // Past the last page the window count is gone with the rows; count separately only then.
  const total =
    rows.length > 0
      ? Number(rows[0]!.total)
      : Number(
          (
            await db.query<{ n: string }>(
              `SELECT count(*) AS n FROM work_queue WHERE ${where.join(' AND ')}`,
              values.slice(0, -2),
            )
          ).rows[0]!.n,
        );
  return { items: rows.map((row) => toItem(row, filter.now)), page: filter.page, size: filter.size, total };
};

const toItem = (row: Row, now: Date): WorkQueueItem => ({
  referralId: row.referral_id,
  status: row.status,
  reasons: row.reasons,
  ageBand: row.age_band,
  sex: row.sex,
  practiceId: row.practice_id,
  coachId: row.coach_id,
  requestedAt: row.requested_at.toISOString(),
  firstContactDeadline: row.first_contact_deadline.toISOString(),
  firstContactAt: row.first_contact_at?.toISOString() ?? null,
  waitingDays: Math.max(0, calendarDaysBetween(row.requested_at, now)),
  overdue: row.first_contact_at === null && now.getTime() > row.first_contact_deadline.getTime(),
  version: row.version,
});
