// The FHIR Task search index: one row per referral (open or closed, unlike the work queues), projected
// from the service's own referral events. Ids, codes and dates only: what a search filters and scopes
// on. The resources themselves are built from the referral's stream, so the index never serves stale
// content, only (briefly) a stale match.
import { type EventStore, type RecordedEvent } from '@wor/event-store';
import { createProjector, type Projector } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '@wor/service-kit';
import { statusAfter, type ReferralEvent } from '../referral/events';
import { REFERRAL_STREAM_PREFIX } from '../referral/referral';

/** Applies referral domain events to the index, using `tx` only. */
export const projectTaskIndex = async (events: readonly RecordedEvent[], tx: PoolClient): Promise<void> => {
  for (const recorded of events) {
    if (!recorded.streamId.startsWith(REFERRAL_STREAM_PREFIX)) continue;
    const referralId = recorded.streamId.slice(REFERRAL_STREAM_PREFIX.length);
    const event = recorded as unknown as ReferralEvent;
    const version = recorded.streamVersion;
    if (event.type === 'ReferralRequested') {
      const d = event.data;
      await tx.query(
        `INSERT INTO fhir_task_index (referral_id, practice_id, organisation_id, status, authored_on, version)
         VALUES ($1, $2, $3, 'requested', $4, $5) ON CONFLICT (referral_id) DO NOTHING`,
        [referralId, d.practiceId, d.recipientOrganisationId, d.requestedAt, version],
      );
      continue;
    }
    const status = statusAfter(event);
    // `version <` keeps a redelivered batch from moving a row back.
    await tx.query(
      `UPDATE fhir_task_index SET version = $2, status = coalesce($3, status) WHERE referral_id = $1 AND version < $2`,
      [referralId, version, status ?? null],
    );
  }
};

export type TaskIndexProjectorOptions = Readonly<{
  store: EventStore;
  pool: Pool;
  schema: string;
  logger: Logger;
  pollIntervalMs?: number;
}>;

/** The background projection (start/stop/runOnce/catchUp); migrate with `migrateTaskIndex` first. */
export const createTaskIndexProjector = (options: TaskIndexProjectorOptions): Projector => {
  const { store, pool, schema, logger } = options;
  const log = logger.child({ projection: 'fhir-task-index' });
  return createProjector({
    name: 'fhir-task-index',
    store,
    pool,
    schema,
    project: projectTaskIndex,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    onError: (error) => log.error({ err: error }, 'FHIR task index projection failed; retrying'),
  });
};

export type TaskSearch = Readonly<{
  organisationId: string;
  ids: readonly string[] | null;
  statuses: readonly string[] | null;
  requesters: readonly string[] | null;
  owners: readonly string[] | null;
  /** Rules every Task out (e.g. owner:missing=true). */
  none: boolean;
  authoredOn: readonly { op: '=' | '>=' | '<=' | '>' | '<'; value: string; date: boolean }[];
  count: number;
  offset: number;
}>;

/** Referral ids the organisation is party to (as practice or as welfare organisation), oldest first. */
export const searchTasks = async (pool: Pool, search: TaskSearch): Promise<{ ids: string[]; total: number }> => {
  const values: unknown[] = [search.organisationId];
  const where = ['(practice_id = $1 OR organisation_id = $1)'];
  const param = (value: unknown) => `$${values.push(value)}`;
  if (search.none) where.push('false');
  if (search.ids) where.push(`referral_id = ANY(${param(search.ids)})`);
  if (search.statuses) where.push(`status = ANY(${param(search.statuses)})`);
  if (search.requesters) where.push(`practice_id = ANY(${param(search.requesters)})`);
  if (search.owners) where.push(`organisation_id = ANY(${param(search.owners)})`);
  for (const { op, value, date } of search.authoredOn)
    // A date is a day in the Netherlands; a dateTime an instant.
    where.push(
      date
        ? `(authored_on AT TIME ZONE 'Europe/Amsterdam')::date ${op} ${param(value)}::date`
        : `authored_on ${op} ${param(value)}::timestamptz`,
    );
  const filter = where.join(' AND ');
  const counted = await pool.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM fhir_task_index WHERE ${filter}`,
    values,
  );
  const { rows } = await pool.query<{ referral_id: string }>(
    `SELECT referral_id FROM fhir_task_index WHERE ${filter}
     ORDER BY authored_on, referral_id LIMIT ${param(search.count)} OFFSET ${param(search.offset)}`,
    values,
  );
  return { ids: rows.map((r) => r.referral_id), total: counted.rows[0]?.total ?? 0 };
};
