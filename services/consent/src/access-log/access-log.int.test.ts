import type { AccessLoggedV1 } from '@wor/contracts';
import { Topics } from '@wor/contracts';
import { pseudonymise } from '@wor/privacy';
import { databaseUrl, eventually } from '@wor/test-support';
import { accessLogged as logged } from '../testing/access-logged';
import { officer, startConsentService, type ConsentServiceUnderTest, type TestCaller } from '../testing/harness';
import { createHash } from 'node:crypto';
import { loadConfig } from '@wor/service-kit';
import { ConsentSettings } from '../settings';
import { canonicalJson, chainKey, MIN_RETENTION_YEARS, purgeExpired, verifyChain as verifyKeyed } from './chain';
import { verifyCommand } from './verify-cli';

const subjectOf = (bsn: string) => pseudonymise(bsn, 'test-pseudonym-secret');
const verifyChain = (db: Parameters<typeof verifyKeyed>[0]) => verifyKeyed(db, chainKey('test-pseudonym-secret'));

const accessLogged = (
  over: Partial<AccessLoggedV1['data']> & { subjectId?: string; accessedAt: string },
): AccessLoggedV1 => logged({ subjectId: subjectOf('999990019'), ...over });

describe('the NEN 7513 access log (real PostgreSQL)', () => {
  let svc: ConsentServiceUnderTest;
  beforeEach(async () => {
    svc = await startConsentService();
  });
  afterEach(() => svc.stop());

  const publish = async (...events: AccessLoggedV1[]) => {
    await svc.transport.publish(
      svc.prefix + Topics.accessLog,
      events.map((e) => ({ key: e.subjectId ?? e.eventId, value: JSON.stringify(e) })),
    );
    await eventually(
      async () => {
        const { rows } = await svc.pool.query('SELECT count(*)::int AS n FROM access_log WHERE entry_id = ANY($1)', [
          events.map((e) => e.eventId),
        ]);
        return rows[0].n === events.length ? true : undefined;
      },
      20_000,
      'the entries in the access log',
    );
  };

  const seed = () =>
    publish(
      accessLogged({ accessedAt: '2026-11-20T09:00:00Z' }),
      accessLogged({
        accessedAt: '2026-11-21T09:00:00Z',
        userId: 'coach-bram',
        outcome: 'denied',
        reason: 'the consent was withdrawn',
        checks: { authorisation: true, consent: false, agreement: true, emergencyAccess: false },
      }),
      accessLogged({
        accessedAt: '2026-11-22T09:00:00Z',
        subjectId: subjectOf('111222333'),
        organisationId: 'huisarts-beterschap',
        purpose: 'wor-referral',
      }),
      accessLogged({ accessedAt: '2026-11-23T09:00:00Z' }),
    );

  const rows = async () =>
    (
      await svc.pool.query<{ seq: string; entry_id: string }>(
        'SELECT seq::text, entry_id FROM access_log ORDER BY access_log.seq',
      )
    ).rows;
  /** An insider with database rights: the append-only trigger is off for them. */
  const tamper = async (sql: string, params: unknown[]) => {
    const client = await svc.pool.connect();
    try {
      await client.query('ALTER TABLE access_log DISABLE TRIGGER access_log_append_only');
      await client.query(sql, params);
      await client.query('ALTER TABLE access_log ENABLE TRIGGER access_log_append_only');
    } finally {
      client.release();
    }
  };

  it('keeps every service’s entries in an intact chain; the log is append-only', async () => {
    await seed();
    expect(await verifyChain(svc.pool)).toEqual({ intact: true, entries: 4, firstBreak: null });
    await expect(svc.pool.query(`UPDATE access_log SET entry = entry || '{"outcome":"allowed"}'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(svc.pool.query('DELETE FROM access_log')).rejects.toThrow(/append-only/);
  });

  it('the verify endpoint reports the first entry of a changed, removed or reordered chain', async () => {
    await seed();
    const [, second] = await rows();
    await tamper(`UPDATE access_log SET entry = jsonb_set(entry, '{userId}', '"someone-else"') WHERE seq = $1`, [
      second!.seq,
    ]);
    const changed = await svc.http(officer, 'GET', '/access-log/verify');
    expect(changed.body).toMatchObject({
      intact: false,
      firstBreak: { seq: second!.seq, entryId: second!.entry_id, problem: 'changed' },
    });
  });

  it('catches a removed entry at the one after it', async () => {
    await seed();
    const [, second, third] = await rows();
    await tamper('DELETE FROM access_log WHERE seq = $1', [second!.seq]);
    expect((await verifyChain(svc.pool)).firstBreak).toEqual({
      seq: third!.seq,
      entryId: third!.entry_id,
      problem: 'removed-or-reordered',
    });
  });

  it('catches reordered entries', async () => {
    await seed();
    const [, second, third] = await rows();
    // Swap the two entries' positions (and so their order), keeping each one's own hashes.
    await tamper('UPDATE access_log SET seq = -seq WHERE seq IN ($1, $2)', [second!.seq, third!.seq]);
    await tamper(
      'UPDATE access_log SET seq = CASE WHEN seq = -$1::bigint THEN $2::bigint ELSE $1::bigint END WHERE seq < 0',
      [second!.seq, third!.seq],
    );
    expect((await verifyChain(svc.pool)).firstBreak).toMatchObject({
      seq: second!.seq,
      entryId: third!.entry_id,
      problem: 'removed-or-reordered',
    });
  });

  it('catches a rewritten hash at the next entry, and the CLI reports it with exit code 1', async () => {
    await seed();
    const [first, second] = await rows();
    await tamper(
      `UPDATE access_log SET entry = jsonb_set(entry, '{userId}', '"someone-else"'), hash = repeat('a', 64) WHERE seq = $1`,
      [first!.seq],
    );
    expect((await verifyChain(svc.pool)).firstBreak).toMatchObject({ seq: first!.seq, problem: 'changed' });
    const cli = await verifyCommand({
      DATABASE_URL: await databaseUrl(),
      WOR_SCHEMA: svc.schema,
      WOR_PSEUDONYM_SECRET: 'test-pseudonym-secret',
    });
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.output)).toMatchObject({ intact: false, firstBreak: { seq: first!.seq } });
    void second;
  });

  it('an insider who rewrites an entry and recomputes every hash after it, without the key, is still caught', async () => {
    await seed();
    const all = (
      await svc.pool.query<{ seq: string; entry: Record<string, unknown> }>(
        'SELECT seq::text, entry FROM access_log ORDER BY access_log.seq',
      )
    ).rows;
    let prev = '0'.repeat(64);
    for (const [i, row] of all.entries()) {
      const entry = i === 1 ? { ...row.entry, outcome: 'allowed', reason: null } : row.entry;
      const hash = createHash('sha256')
        .update(`${prev}\n${row.seq}\n${canonicalJson(entry)}`)
        .digest('hex');
      await tamper('UPDATE access_log SET entry = $2, prev_hash = $3, hash = $4 WHERE seq = $1', [
        row.seq,
        JSON.stringify(entry),
        prev,
        hash,
      ]);
      prev = hash;
    }
    expect((await verifyChain(svc.pool)).firstBreak).toMatchObject({ seq: all[0]!.seq, problem: 'changed' });
    expect(
      (
        await verifyCommand({
          DATABASE_URL: await databaseUrl(),
          WOR_SCHEMA: svc.schema,
          WOR_PSEUDONYM_SECRET: 'a-guess',
        })
      ).code,
    ).toBe(1);
  });

  it('searches by patient (BSN pseudonymised at the API), user, organisation, purpose, outcome and period; logs each read', async () => {
    await seed();
    const byBsn = await svc.http(officer, 'POST', '/access-log/search', { patient: { bsn: '999990019' } });
    expect(byBsn.status).toBe(200);
    expect(byBsn.body.count).toBe(3);
    expect(JSON.stringify(byBsn.body)).not.toContain('999990019');

    const query = (q: string) =>
      svc
        .http(officer, 'GET', `/access-log?${q}`)
        .then((r) =>
          r.body.items.map((e: { userId: string; accessedAt: string }) => `${e.userId}@${e.accessedAt.slice(0, 10)}`),
        );
    expect(await query('userId=coach-bram')).toEqual(['coach-bram@2026-11-21']);
    expect(await query('organisationId=huisarts-beterschap')).toEqual(['coach-anna@2026-11-22']);
    expect(await query('purpose=wor-referral')).toEqual(['coach-anna@2026-11-22']);
    expect(await query('outcome=denied')).toEqual(['coach-bram@2026-11-21']);
    expect(
      await query(`from=2026-11-21T00:00:00Z&to=2026-11-23T00:00:00Z&subjectId=${subjectOf('999990019')}`),
    ).toEqual(['coach-bram@2026-11-21']);
    expect((await svc.http(officer, 'GET', '/access-log/denied')).body.items).toHaveLength(1);

    const reads = await svc.http(officer, 'GET', '/access-log?purpose=privacy-oversight');
    expect(reads.body.items.length).toBeGreaterThanOrEqual(7); // every read above, by po-1
    expect(reads.body.items[0]).toMatchObject({
      userId: 'po-1',
      role: 'privacy-officer',
      action: 'R',
      resource: { type: 'access-log' },
    });
    expect(await verifyChain(svc.pool)).toMatchObject({ intact: true, firstBreak: null });
  });

  it("filters declared reads (a coach's declared takeover, NEN 7513 emergency access) for the privacy officer", async () => {
    await seed();
    await publish(
      accessLogged({
        accessedAt: '2026-11-24T09:00:00Z',
        userId: 'coach-cas',
        reason: 'declared takeover: vervanging',
        checks: { authorisation: true, consent: true, agreement: true, emergencyAccess: true },
      }),
    );
    const users = (r: { body: Record<string, any> }) => (r.body.items as { userId: string }[]).map((e) => e.userId); // eslint-disable-line @typescript-eslint/no-explicit-any
    const declared = await svc.http(officer, 'GET', '/access-log?emergencyAccess=true');
    expect(declared.status).toBe(200);
    expect(users(declared)).toEqual(['coach-cas']);
    expect(users(await svc.http(officer, 'POST', '/access-log/search', { emergencyAccess: true }))).toEqual([
      'coach-cas',
    ]);
    const ordinary = await svc.http(officer, 'GET', '/access-log?emergencyAccess=false&purpose=wor-coaching');
    expect(users(ordinary)).not.toContain('coach-cas');
    expect(users(ordinary).length).toBeGreaterThan(0);
    expect((await svc.http(officer, 'GET', '/access-log?emergencyAccess=yes')).status).toBe(422);
  });

  it('exports CSV and JSON, gives the chronological overview of a patient, and logs refused readers too', async () => {
    await seed();
    const csv = await svc.http(officer, 'GET', `/access-log?format=csv&subjectId=${subjectOf('999990019')}`);
    expect(csv.contentType).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^seq,entryId,accessedAt,/);
    expect(lines).toHaveLength(4);

    const overview = await svc.http(officer, 'POST', '/access-log/overview', { patient: { bsn: '999990019' } });
    // Chronological, including the privacy officer's own CSV export of this patient's entries just now.
    expect(
      overview.body.items.map(
        (e: { userId: string; accessedAt: string }) => `${e.userId}@${e.accessedAt.slice(0, 10)}`,
      ),
    ).toEqual([
      'coach-anna@2026-11-20',
      'coach-bram@2026-11-21',
      'coach-anna@2026-11-23',
      `po-1@${new Date().toISOString().slice(0, 10)}`,
    ]);
    expect(overview.body).toMatchObject({
      accessedBy: ['coach-anna', 'coach-bram', 'po-1'],
      denied: 1,
      byOrganisation: { 'welzijn-beterstad': 3 },
    });

    const coach: TestCaller = { sub: 'coach-anna', roles: ['coach'], org: 'welzijn-beterstad' };
    expect((await svc.http(coach, 'GET', '/access-log')).status).toBe(403);
    const refused = await svc.http(officer, 'GET', '/access-log?userId=coach-anna&outcome=denied');
    expect(refused.body.items).toEqual([
      expect.objectContaining({
        purpose: 'privacy-oversight',
        resource: { type: 'access-log', id: 'all' },
        outcome: 'denied',
      }),
    ]);
  });

  it('counts the overview per organisation even one called like an inherited member (constructor)', async () => {
    const subjectId = subjectOf('999990032');
    await publish(
      accessLogged({ accessedAt: '2026-11-20T09:00:00Z', subjectId, organisationId: 'constructor' }),
      accessLogged({ accessedAt: '2026-11-21T09:00:00Z', subjectId, organisationId: 'constructor' }),
      accessLogged({ accessedAt: '2026-11-22T09:00:00Z', subjectId }),
    );
    const overview = await svc.http(officer, 'POST', '/access-log/overview', { patient: { bsn: '999990032' } });
    expect(overview.body.byOrganisation).toEqual({ constructor: 2, 'welzijn-beterstad': 1 });
  });

  it('keeps at least five years: lower retention is refused; purging keeps the rest verifiable', async () => {
    const retention = (value?: string) =>
      loadConfig(ConsentSettings, { WOR_ACCESS_LOG_RETENTION_YEARS: value }).WOR_ACCESS_LOG_RETENTION_YEARS;
    expect(() => retention('4')).toThrow(/WOR_ACCESS_LOG_RETENTION_YEARS is invalid \(at least 5 years\)/);
    expect(() => retention('five')).toThrow(/WOR_ACCESS_LOG_RETENTION_YEARS is invalid/);
    expect(retention(undefined)).toBe(MIN_RETENTION_YEARS);
    expect(retention('7')).toBe(7);
    await expect(purgeExpired(svc.pool, 3, new Date())).rejects.toThrow(/below 5/);

    await publish(
      accessLogged({ accessedAt: '2019-01-01T00:00:00Z' }),
      accessLogged({ accessedAt: '2020-01-01T00:00:00Z' }),
    );
    await seed();
    expect(await purgeExpired(svc.pool, 5, new Date('2026-11-26T00:00:00Z'))).toBe(2);
    expect(await verifyChain(svc.pool)).toEqual({ intact: true, entries: 4, firstBreak: null });
  });
});
