import { randomUUID } from 'node:crypto';
import { type RecordedEvent } from '@wor/event-store';
import { createPostgresEventStore } from '@wor/event-store-postgres';
import { migrateReferral } from '../migrations';
import { createLogger } from '@wor/service-kit';
import { eventually, freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import { referralStreamId } from '../referral/referral';
import {
  accepted,
  cancelled,
  coachAssigned,
  firstContact,
  onHold,
  rejected,
  requested,
  resumed,
} from '../work-queues/testing/fixtures';
import { createTaskIndexProjector, projectTaskIndex, searchTasks, type TaskSearch } from './task-index';

describe('FHIR Task search index (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;
  let store: ReturnType<typeof createPostgresEventStore>;
  let projector: ReturnType<typeof createTaskIndexProjector>;
  let appended = 0;
  let projected = 0;
  const append = async (referralId: string, ...events: Parameters<typeof store.append>[1]) => {
    await store.append(referralStreamId(referralId), events, { expectedVersion: 'any' });
    appended += events.length;
  };
  const settle = () =>
    eventually(
      async () => {
        projected += await projector.runOnce();
        return projected >= appended ? projected : undefined;
      },
      30_000,
      'the task index to catch up',
    );
  const rows = async () =>
    Object.fromEntries(
      (
        await pool.query<{ referral_id: string; status: string; version: number }>(
          'SELECT referral_id, status, version FROM fhir_task_index',
        )
      ).rows.map((r) => [r.referral_id, [r.status, r.version]]),
    );
  const search = (over: Partial<TaskSearch>) =>
    searchTasks(pool, {
      organisationId: 'welzijn-beterstad',
      ids: null,
      statuses: null,
      requesters: null,
      owners: null,
      none: false,
      authoredOn: [],
      count: 50,
      offset: 0,
      ...over,
    });

  beforeEach(async () => {
    let schema: string;
    ({ pool, schema, close } = await freshSchemaPool('fti'));
    await migrateReferral(pool, schema);
    store = createPostgresEventStore({ pool, schema });
    projector = createTaskIndexProjector({ store, pool, schema, logger: createLogger('fti', { level: 'silent' }) });
    appended = 0;
    projected = 0;
  });
  afterEach(() => close());

  it('keeps every referral, open or closed, at its status and stream version', async () => {
    const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await append(a, requested(a), accepted(a), coachAssigned(a, 'coach-anna'), firstContact(a), onHold(a), resumed(a));
    await append(b, requested(b), rejected(b));
    await append(c, requested(c), cancelled(c));
    await append(d, requested(d, { organisationId: 'welzijn-elders' }), accepted(d));
    await settle();
    expect(await rows()).toEqual({
      [a]: ['in-progress', 5],
      [b]: ['rejected', 1],
      [c]: ['cancelled', 1],
      [d]: ['accepted', 1],
    });
    // Scoped: the welfare organisation sees its own; the practice sees all it referred.
    expect((await search({})).ids.sort()).toEqual([a, b, c].sort());
    expect((await search({ statuses: ['rejected', 'cancelled'] })).ids.sort()).toEqual([b, c].sort());
    expect((await search({ organisationId: 'huisarts-beterschap' })).total).toBe(4);
    expect(await search({ organisationId: 'huisarts-elders' })).toEqual({ ids: [], total: 0 });
    const paged = await search({ organisationId: 'huisarts-beterschap', count: 3, offset: 3 });
    expect(paged.ids).toHaveLength(1);
    expect(paged.total).toBe(4);
  });

  it('ignores a batch applied twice (a redelivery never moves a row back)', async () => {
    const a = randomUUID();
    await append(a, requested(a), accepted(a), cancelled(a));
    await settle();
    const recorded = ((await store.readStream(referralStreamId(a))).events as RecordedEvent[]).slice(0, 2);
    const client = await pool.connect();
    try {
      await projectTaskIndex(recorded, client);
    } finally {
      client.release();
    }
    expect(await rows()).toEqual({ [a]: ['cancelled', 2] });
  });
});
