// Rebuild by replay: the read models rebuilt from reporting's log equal the incrementally built ones.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { buildExtract, toJson } from '../extracts/extract';
import { parsePeriod, type Period } from '../periods/period';
import type { ReportingEvent } from '../received-events/events';
import { dumpReadModels, reportingSchema } from '../testing/database';
import {
  accessLogged,
  capacityPlanned,
  consentGiven,
  consentWithdrawn,
  fullReferral,
  listSizeSet,
  referralEvents,
  servicePublished,
} from '../testing/events';
import { recordAll } from '../testing/record';
import { rebuildReadModels, type Progress } from './rebuild';

/** A deterministic mix: every event type, steps before requests, duplicates, errors, other municipalities. */
const history = (): ReportingEvent[] => {
  const events: ReportingEvent[] = [
    listSizeSet('huisarts-een', 2500),
    listSizeSet('huisarts-twee', 1800, 'GM0001', '2026-02-01T08:00:00Z'),
  ];
  const serviceId = randomUUID();
  events.push(servicePublished(serviceId));
  // Plans, one replaced by a later one.
  events.push(capacityPlanned('welzijn-een', '2026-01', 40), capacityPlanned('welzijn-een', '2026-01', 60));
  for (let i = 0; i < 40; i++) {
    const at = new Date(Date.parse('2026-01-03T08:00:00Z') + i * 37 * 3_600_000).toISOString();
    const steps = fullReferral({
      at,
      practiceId: i % 3 ? 'huisarts-een' : 'huisarts-twee',
      municipality: i % 7 ? 'GM0001' : 'GM0002',
    });
    if (i % 5 === 0) steps.push(steps[0]!); // a redelivered request (same event id: kept once)
    if (i % 4 === 0) steps.reverse(); // steps before their request
    const r = referralEvents((steps[0]!.data as { referralId: string }).referralId);
    if (i % 9 === 0) steps.push(r.enteredInError(at));
    if (i % 6 === 0) steps.push(r.activityLinked(at, serviceId));
    events.push(...steps);
    if (i % 2 === 0) {
      const consentId = randomUUID();
      events.push(consentGiven(consentId, at), accessLogged(i % 4 ? 'allowed' : 'denied', at));
      if (i % 8 === 0) events.push(consentWithdrawn(consentId, at));
    }
  }
  return events;
};

describe('rebuild (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ pool, close } = await reportingSchema());
  });
  afterEach(() => close());

  it('rebuilds every read model from the log to the state built incrementally', async () => {
    await recordAll(pool, history());
    const incremental = await dumpReadModels(pool);
    const request = { municipality: 'GM0001', period: parsePeriod('2026') as Period };
    const extractBefore = toJson(await buildExtract(pool, request));
    expect(incremental.referral_facts!.length).toBe(40);

    const progress: Progress[] = [];
    const result = await rebuildReadModels(pool, { batchSize: 50, onProgress: (p) => progress.push(p) });

    expect(await dumpReadModels(pool)).toEqual(incremental);
    expect(toJson(await buildExtract(pool, request))).toBe(extractBefore);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM received_events');
    expect(result.events).toBe(Number(rows[0]!.n));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ done: result.events, total: result.events });
  });

  it('rebuilds from an emptied read model too (nothing depends on the previous state)', async () => {
    await recordAll(pool, history());
    const incremental = await dumpReadModels(pool);
    await pool.query('DELETE FROM referral_facts');
    await rebuildReadModels(pool);
    expect(await dumpReadModels(pool)).toEqual(incremental);
  });

  it('leaves every read-model index as it was (they are dropped for the load and made again)', async () => {
    await recordAll(pool, history());
    const indexes = async () =>
      (
        await pool.query<{ def: string }>(
          `SELECT indexname || ': ' || indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1`,
        )
      ).rows.map((r) => r.def);
    const before = await indexes();
    expect(before.some((d) => d.startsWith('referral_facts_requested:'))).toBe(true);
    await rebuildReadModels(pool, { batchSize: 7 });
    expect(await indexes()).toEqual(before);
  });

  it('lets live events through while it replays, and includes them (they wait only for the last few)', async () => {
    await recordAll(pool, history());
    const late = fullReferral({ municipality: 'GM0002' });
    let recorded = false;
    const seen: boolean[] = [];
    let started: Promise<void> | undefined;
    await rebuildReadModels(pool, {
      batchSize: 5,
      tailSize: 3,
      onProgress: () => {
        // Recorded through the live path on another connection, as the consumer would.
        started ??= recordAll(pool, late).then(() => {
          recorded = true;
        });
        seen.push(recorded);
      },
    });
    await started;
    // The live events committed while batches were still being replayed (they did not wait for the end).
    expect(seen.includes(true)).toBe(true);
    const rebuilt = await dumpReadModels(pool);
    const referralId = (late[0]!.data as { referralId: string }).referralId;
    expect(rebuilt.referral_facts!.some((r) => (r as { referral_id: string }).referral_id === referralId)).toBe(true);
    // And the state is what replaying the whole log gives.
    await rebuildReadModels(pool);
    expect(await dumpReadModels(pool)).toEqual(rebuilt);
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_namespace WHERE nspname = current_schema() || '_rebuild'`,
    );
    expect(rows[0]!.n).toBe('0');
  });
});
