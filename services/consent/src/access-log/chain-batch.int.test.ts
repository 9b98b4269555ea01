// A run of AccessLogged events is chained under one lock in one transaction; the chain verifies, also
// with a redelivered entry, an entry repeated in the run and the service's own entries appended meanwhile.
import type { AccessLoggedV1 } from '@wor/contracts';
import { Topics } from '@wor/contracts';
import { withTransaction } from '@wor/event-store-postgres';
import { pseudonymise } from '@wor/privacy';
import { eventually } from '@wor/test-support';
import { accessLogged as logged } from '../testing/access-logged';
import { startConsentService, type ConsentServiceUnderTest } from '../testing/harness';
import { appendEntries, appendEntryNow, chainKey, verifyChain, type AccessLogEntry } from './chain';
import { toEntry } from './ingest';

const key = chainKey('test-pseudonym-secret');
const subjectId = pseudonymise('999990019', 'test-pseudonym-secret');

const at = (n: number) => `2026-11-20T09:00:${String(n).padStart(2, '0')}Z`;
const accessLogged = (n: number): AccessLoggedV1 => logged({ subjectId, accessedAt: at(n), userId: `coach-${n}` });

describe('the access log takes a run of entries at once (real PostgreSQL)', () => {
  let svc: ConsentServiceUnderTest;
  beforeEach(async () => {
    svc = await startConsentService();
  });
  afterEach(() => svc.stop());

  const logged = async () =>
    (
      await svc.pool.query<{ entry_id: string; logged_at: Date }>(
        'SELECT entry_id, logged_at FROM access_log ORDER BY access_log.seq',
      )
    ).rows;

  it('chains a published run in one transaction, each entry once, in order', async () => {
    const first = accessLogged(0);
    await svc.transport.publish(svc.prefix + Topics.accessLog, [{ key: subjectId, value: JSON.stringify(first) }]);
    await eventually(async () => ((await logged()).length === 1 ? true : undefined), 20_000, 'the first entry');

    const run = [1, 2, 3, 4].map(accessLogged);
    const messages = [first, run[0]!, run[1]!, run[1]!, run[2]!, run[3]!].map((e) => ({
      key: subjectId,
      value: JSON.stringify(e),
    }));
    await svc.transport.publish(svc.prefix + Topics.accessLog, messages);
    await eventually(async () => ((await logged()).length === 5 ? true : undefined), 20_000, 'the run');

    const rows = await logged();
    expect(rows.map((r) => r.entry_id)).toEqual([first, ...run].map((e) => e.eventId));
    // logged_at is the transaction's start: the run shares one.
    expect(new Set(rows.slice(1).map((r) => r.logged_at.toISOString())).size).toBe(1);
    expect(await verifyChain(svc.pool, key)).toEqual({ intact: true, entries: 5, firstBreak: null });
  });

  it('keeps one chain when runs and single entries are appended concurrently', async () => {
    const runs = [0, 1, 2, 3].map((r) => [0, 1, 2, 3, 4].map((n) => toEntry(accessLogged(r * 10 + n))));
    const singles: AccessLogEntry[] = [0, 1, 2, 3, 4, 5].map((n) => toEntry(accessLogged(50 + n)));
    await Promise.all([
      ...runs.map((entries) => withTransaction(svc.pool, (tx) => appendEntries(tx, key, entries))),
      ...singles.map((entry) => appendEntryNow(svc.pool, key, entry)),
      // A run that repeats entries already logged or in flight: ignored, never twice.
      withTransaction(svc.pool, (tx) => appendEntries(tx, key, [runs[0]![0]!, singles[0]!, runs[0]![0]!])),
    ]);
    const rows = await logged();
    expect(new Set(rows.map((r) => r.entry_id)).size).toBe(rows.length);
    expect(rows.length).toBe(26);
    expect(await verifyChain(svc.pool, key)).toEqual({ intact: true, entries: 26, firstBreak: null });
  });
});
