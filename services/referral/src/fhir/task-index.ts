// The FHIR Task search index: one row per referral (open or closed, unlike the work queues), projected
// from the service's own referral events. Ids, codes and dates only: what a search filters and scopes
// on. The resources themselves are built from the referral's stream, so the index never serves stale
// content, only (briefly) a stale match.
import { type EventStore, type RecordedEvent } from '@wor/event-store';
import { createProjector, type Projector } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '@wor/service-kit';
import { occurredAt, statusAfter, type ReferralEvent } from '../referral/events';
import { REFERRAL_STREAM_PREFIX } from '../referral/referral';
import { insertRows, projectInRuns } from '../referral/projection-runs';

/** The Task.output references an event adds (searched by `output`). */
const outputsOf = (event: ReferralEvent): string[] =>
  event.type === 'ActivityLinked'
    ? [`HealthcareService/${event.data.serviceId}`]
    : event.type === 'ReferralCompleted'
      ? (event.data.procedureIds ?? []).map((id) => `Procedure/${id}`)
      : [];

/** Applies referral domain events to the index, using `tx` only. */
export const projectTaskIndex = (events: readonly RecordedEvent[], tx: PoolClient): Promise<void> =>
  projectInRuns(events, {
    row: ({ data: d }, referralId, version) => ({
      referral_id: referralId,
      practice_id: d.practiceId,
      organisation_id: d.recipientOrganisationId,
      status: 'requested',
      authored_on: d.requestedAt,
      version,
    }),
    insert: (rows) => insertRows(tx, 'fhir_task_index', TASK_INDEX_COLUMNS, rows),
    apply: async (recorded) => {
      if (!recorded.streamId.startsWith(REFERRAL_STREAM_PREFIX)) return;
      const referralId = recorded.streamId.slice(REFERRAL_STREAM_PREFIX.length);
      const status = statusAfter(recorded as unknown as ReferralEvent);
      // `version <` keeps a redelivered batch from moving a row back.
      await tx.query(
        `UPDATE fhir_task_index SET version = $2, status = coalesce($3, status) WHERE referral_id = $1 AND version < $2`,
        [referralId, recorded.streamVersion, status ?? null],
      );
    },
  });

const TASK_INDEX_COLUMNS = {
  referral_id: 'text',
  practice_id: 'text',
  organisation_id: 'text',
  status: 'text',
  authored_on: 'timestamptz',
  version: 'int',
};

export type TaskIndexProjectorOptions = Readonly<{
  store: EventStore;
  pool: Pool;
  schema: string;
  logger: Logger;
  pollIntervalMs?: number;
}>;

/** Applies referral domain events to fhir_task_search (subject, last update, output references), using `tx` only. */
export const projectTaskSearch = (events: readonly RecordedEvent[], tx: PoolClient): Promise<void> =>
  projectInRuns(events, {
    row: ({ data: d }, referralId, version) => ({
      referral_id: referralId,
      subject_id: d.subjectId,
      last_updated: d.requestedAt,
      version,
    }),
    insert: (rows) => insertRows(tx, 'fhir_task_search', TASK_SEARCH_COLUMNS, rows),
    apply: async (recorded) => {
      if (!recorded.streamId.startsWith(REFERRAL_STREAM_PREFIX)) return;
      const referralId = recorded.streamId.slice(REFERRAL_STREAM_PREFIX.length);
      const event = recorded as unknown as ReferralEvent;
      await tx.query(
        `UPDATE fhir_task_search SET version = $2, last_updated = greatest(last_updated, $3::timestamptz),
           outputs = outputs || $4::text[]
         WHERE referral_id = $1 AND version < $2`,
        [referralId, recorded.streamVersion, occurredAt(event), outputsOf(event)],
      );
    },
  });

const TASK_SEARCH_COLUMNS = { referral_id: 'text', subject_id: 'text', last_updated: 'timestamptz', version: 'int' };

/** The background projection (start/stop/runOnce/catchUp); migrate with `migrateTaskIndex` first. */
export const createTaskIndexProjector = (options: TaskIndexProjectorOptions): Projector => {
  const { store, pool, schema, logger } = options;
  const log = logger.child({ projection: 'fhir-task-index' });
  const projector = (name: string, project: typeof projectTaskIndex) =>
    createProjector({
      name,
      store,
      pool,
      schema,
      project,
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      onError: (error) => log.error({ err: error, projection: name }, 'FHIR task index projection failed; retrying'),
    });
  // Two checkpoints: fhir_task_search came later and is filled from the beginning of the store.
  const index = projector('fhir-task-index', projectTaskIndex);
  const search = projector('fhir-task-search', projectTaskSearch);
  return {
    start: () => (index.start(), search.start()),
    stop: async () => void (await Promise.all([index.stop(), search.stop()])),
    /** The number of events the Task index projected (the search table follows the same events). */
    runOnce: async () => {
      const projected = await index.runOnce();
      await search.runOnce();
      return projected;
    },
    catchUp: async () => void (await Promise.all([index.catchUp(), search.catchUp()])),
  };
};

export type TaskSearch = Readonly<{
  organisationId: string;
  ids: readonly string[] | null;
  statuses: readonly string[] | null;
  requesters: readonly string[] | null;
  owners: readonly string[] | null;
  /** Pseudonymous subject ids (Task.for, ServiceRequest.subject). */
  subjects?: readonly string[] | null;
  /** Task.output references, e.g. Procedure/<id>. */
  outputs?: readonly string[] | null;
  lastUpdated?: readonly { op: '=' | '>=' | '<=' | '>' | '<'; value: string; date: boolean }[];
  /** Rules every Task out (e.g. owner:missing=true). */
  none: boolean;
  authoredOn: readonly { op: '=' | '>=' | '<=' | '>' | '<'; value: string; date: boolean }[];
  count: number;
  offset: number;
}>;

const FROM = 'fhir_task_index LEFT JOIN fhir_task_search s USING (referral_id)';

/** Referral ids the organisation is party to (as practice or as welfare organisation), oldest first. */
export const searchTasks = async (pool: Pool, search: TaskSearch): Promise<{ ids: string[]; total: number }> => {
  const values: unknown[] = [search.organisationId];
  // fhir_task_search (subject, last update, outputs) may lag the index briefly: a row without it matches none of those.
  const where = ['(practice_id = $1 OR organisation_id = $1)'];
  const param = (value: unknown) => `$${values.push(value)}`;
  if (search.none) where.push('false');
  if (search.ids) where.push(`referral_id = ANY(${param(search.ids)})`);
  if (search.statuses) where.push(`status = ANY(${param(search.statuses)})`);
  if (search.requesters) where.push(`practice_id = ANY(${param(search.requesters)})`);
  if (search.owners) where.push(`organisation_id = ANY(${param(search.owners)})`);
  if (search.subjects) where.push(`s.subject_id = ANY(${param(search.subjects)})`);
  if (search.outputs) where.push(`s.outputs && ${param(search.outputs)}::text[]`);
  const dates = (column: string, ranges: TaskSearch['authoredOn']) => {
    for (const { op, value, date } of ranges)
      // A date is a day in the Netherlands; a dateTime an instant.
      where.push(
        date
          ? `(${column} AT TIME ZONE 'Europe/Amsterdam')::date ${op} ${param(value)}::date`
          : `${column} ${op} ${param(value)}::timestamptz`,
      );
  };
  dates('authored_on', search.authoredOn);
  dates('s.last_updated', search.lastUpdated ?? []);
  const filter = where.join(' AND ');
  const counted = await pool.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM ${FROM} WHERE ${filter}`,
    values,
  );
  const { rows } = await pool.query<{ referral_id: string }>(
    `SELECT referral_id FROM ${FROM} WHERE ${filter}
     ORDER BY authored_on, referral_id LIMIT ${param(search.count)} OFFSET ${param(search.offset)}`,
    values,
  );
  return { ids: rows.map((r) => r.referral_id), total: counted.rows[0]?.total ?? 0 };
};
