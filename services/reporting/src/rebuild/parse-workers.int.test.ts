// The rebuild's parse workers: batches read, parsed and folded on worker threads build the same read
// models as the fold on the main thread, and an event that no longer parses still stops the rebuild.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ReportingEvent } from '../received-events/events';
import { dumpReadModels, reportingSchema } from '../testing/database';
import {
  accessLogged,
  capacityPlanned,
  consentGiven,
  fullReferral,
  listSizeSet,
  referralEvents,
  servicePublished,
} from '../testing/events';
import { recordAll } from '../testing/record';
import { rebuildReadModels } from './rebuild';

/** Referrals whose steps straddle batches, arrive before their request or twice, and the log-like tables. */
const history = (): ReportingEvent[] => {
  const serviceId = randomUUID();
  const events: ReportingEvent[] = [listSizeSet('huisarts-een', 2500), servicePublished(serviceId)];
  events.push(capacityPlanned('welzijn-een', '2026-01', 40), capacityPlanned('welzijn-een', '2026-01', 60));
  for (let i = 0; i < 12; i++) {
    const at = new Date(Date.parse('2026-02-01T08:00:00Z') + i * 86_400_000).toISOString();
    const steps = fullReferral({ at, municipality: i % 3 ? 'GM0001' : 'GM0002' });
    const r = referralEvents((steps[0]!.data as { referralId: string }).referralId);
    if (i % 3 === 0) steps.reverse();
    steps.push(r.activityLinked(at, serviceId), r.enteredInError(at));
    events.push(...steps, consentGiven(randomUUID(), at), accessLogged(i % 2 ? 'allowed' : 'denied', at));
  }
  return events;
};

describe('rebuild parse workers (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ pool, close } = await reportingSchema());
  });
  afterEach(() => close());

  it('builds with two workers the read models the main thread folds, and both what the live path built', async () => {
    await recordAll(pool, history());
    const live = await dumpReadModels(pool);
    await rebuildReadModels(pool, { workers: 0, batchSize: 7 });
    const serial = await dumpReadModels(pool);
    // Batches of 7 go to the workers in turn and come back out of order: applied in position order still.
    const result = await rebuildReadModels(pool, { workers: 2, batchSize: 7 });
    expect(await dumpReadModels(pool)).toEqual(serial);
    expect(serial).toEqual(live);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM received_events');
    expect(result.events).toBe(Number(rows[0]!.n));
  });

  it('stops at an event that no longer parses, in a worker, and leaves the read models as they were', async () => {
    await recordAll(pool, history());
    // A stored event its schema no longer accepts (as after a schema change): the log is what it is.
    await pool.query(
      `UPDATE received_events SET payload = jsonb_set(payload, '{data,referralId}', '"not-a-uuid"')
        WHERE position = (SELECT max(position) FROM received_events WHERE type = 'ReferralAccepted')`,
    );
    const before = await dumpReadModels(pool);
    await expect(rebuildReadModels(pool, { workers: 2, batchSize: 5 })).rejects.toThrow(/no longer parses/);
    expect(await dumpReadModels(pool)).toEqual(before);
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_namespace WHERE nspname = current_schema() || '_rebuild'`,
    );
    expect(rows[0]!.n).toBe('0');
    // The workers are gone and the session lock released: the next rebuild runs (and stops the same way).
    await expect(rebuildReadModels(pool, { workers: 1 })).rejects.toThrow(/no longer parses/);
  });
});
