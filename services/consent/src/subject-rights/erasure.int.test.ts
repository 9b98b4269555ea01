// AVG art. 15 and 17 end to end through real PostgreSQL and real Kafka: after erasure nothing personal
// about the subject can be recovered from the service's database, the Kafka topics, or its logs.
import { Topics, type AccessLoggedV1 } from '@wor/contracts';
import type { IncomingMessage } from '@wor/messaging';
import { ephemeralKeyringDir, openSubjectKeyStore, pseudonymise, type SealedPersonalData } from '@wor/privacy';
import { eventually, uniqueName } from '@wor/test-support';
import { accessLogged as logged } from '../testing/access-logged';
import { consentBody, gp, officer, startConsentService, type ConsentServiceUnderTest } from '../testing/harness';

// The seeded personal data: what must be unrecoverable afterwards.
const BSN = '999990019';
const DOCUMENT = 'toestemmingsformulier Jet Voorbeeld 0612345678';
const PERSONAL = [BSN, 'Jet Voorbeeld', '0612345678', DOCUMENT];

describe('subject rights: art. 15 report and art. 17 erasure (real PostgreSQL and Kafka)', () => {
  let svc: ConsentServiceUnderTest;
  const messages: IncomingMessage[] = [];
  let stopTap: () => Promise<void>;

  beforeAll(async () => {
    svc = await startConsentService({ kafka: true });
    // A tap on both topics, as any consumer (or an attacker with broker access) would read them.
    const tap = await svc.transport.subscribe({
      groupId: uniqueName('tap'),
      topics: [svc.prefix + Topics.consent, svc.prefix + Topics.accessLog],
      handle: async (m) => void messages.push(m),
    });
    stopTap = () => tap.stop();
  }, 60_000);
  afterAll(async () => {
    await stopTap?.();
    await svc?.stop();
  });

  const subjectId = pseudonymise(BSN, 'test-pseudonym-secret');
  const accessLogged = (): AccessLoggedV1 => logged({ subjectId, accessedAt: new Date().toISOString() });

  /** Every row of every table in the service's schema, as text. */
  const databaseDump = async (): Promise<string> => {
    const { rows: tables } = await svc.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
      [svc.schema],
    );
    const parts: string[] = [];
    for (const { table_name } of tables) {
      const { rows } = await svc.pool.query(
        `SELECT row_to_json(t)::text AS row FROM "${svc.schema}"."${table_name}" t`,
      );
      parts.push(...rows.map((r: { row: string }) => r.row));
    }
    return parts.join('\n');
  };

  it('reports what is held and who accessed it, then erases: nothing personal is recoverable afterwards', async () => {
    const consent = await svc.http(
      gp,
      'POST',
      '/consents',
      consentBody(BSN, { evidence: { method: 'signed', documentReference: DOCUMENT } }),
    );
    expect(consent.status).toBe(201);
    await svc.transport.publish(svc.prefix + Topics.accessLog, [
      { key: subjectId, value: JSON.stringify(accessLogged()) },
    ]);
    await eventually(
      async () =>
        (await svc.pool.query(`SELECT 1 FROM access_log WHERE entry->>'userId' = 'coach-anna'`)).rows.length > 0
          ? true
          : undefined,
      30_000,
      'the access log entry',
    );

    // Art. 15: the consent with its evidence, the access log, who accessed.
    const report = await svc.http(officer, 'POST', '/subject-rights/access-report', { patient: { bsn: BSN } });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      subjectId,
      erasure: { erasedAt: null },
      services: {
        consent: {
          consents: [{ consentId: consent.body.consentId, evidence: { documentReference: DOCUMENT } }],
          // Recording the consent (its evidence may identify the patient) and the coach's read.
          accessLog: [
            expect.objectContaining({ userId: 'gp-system-1', action: 'C' }),
            expect.objectContaining({ userId: 'coach-anna' }),
          ],
        },
      },
      accessedBy: [
        { userId: 'gp-system-1', organisationId: 'huisarts-beterschap', role: 'gp-system' },
        { userId: 'coach-anna', organisationId: 'welzijn-beterstad', role: 'coach' },
      ],
    });
    // No referral service configured here: the report says its part is missing instead of failing.
    expect(report.body.missing).toEqual(['referral']);
    expect(report.body.services.referral.missing).toMatch(/WOR_REFERRAL_URL/);
    expect(report.body.services.reporting.holds).toMatch(/subject id is dropped/);
    // The sealed reference is in the event store; with the key it opens (the proof below is not vacuous).
    const sealed = (
      await svc.pool.query<{ data: { evidence: { documentReference: SealedPersonalData } } }>(
        `SELECT data FROM events WHERE type = 'ConsentRecorded'`,
      )
    ).rows[0]!.data.evidence.documentReference;
    const keys = await openSubjectKeyStore({
      pool: svc.pool,
      schema: svc.schema,
      masterKey: svc.masterKey,
      keyringDir: ephemeralKeyringDir(),
    });
    expect(await keys.decrypt(sealed)).toEqual({ documentReference: DOCUMENT });

    // Art. 17.
    const erased = await svc.http(officer, 'POST', '/subject-rights/erasure', { patient: { bsn: BSN } });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      subjectId,
      keyDestroyed: true,
      withdrawnConsents: [consent.body.consentId],
      // This service's follow-up ran before the answer: the old copies of the key on disk are moot.
      followUp: { consent: 'done', lastRotationAt: expect.any(String) },
      guarantee: {
        atOnce: expect.stringMatching(/deleted/),
        afterFollowUp: expect.stringMatching(/WAL and dead tuples/),
        backups: expect.stringMatching(/retention/),
      },
    });
    expect((await svc.http(officer, 'POST', '/subject-rights/erasure', { subjectId })).status).toBe(409);

    // Other services learn of it through Kafka, as do the consent's withdrawal.
    await eventually(
      async () => (messages.some((m) => JSON.parse(m.value).type === 'SubjectErased') ? true : undefined),
      30_000,
      'SubjectErased on Kafka',
    );
    const erasedEvent = messages.map((m) => JSON.parse(m.value)).find((e) => e.type === 'SubjectErased');
    expect(erasedEvent).toMatchObject({ subjectId, producer: 'consent', data: { erasedAt: erased.body.erasedAt } });
    expect(messages.map((m) => JSON.parse(m.value).type)).toEqual(
      expect.arrayContaining(['ConsentRecorded', 'ConsentWithdrawn', 'AccessLogged']),
    );

    // Nothing personal recoverable: not from the database (the KEK and every table), Kafka, or the logs.
    expect(await keys.hasKey(subjectId)).toBe(false);
    expect(await keys.decrypt(sealed)).toEqual({ erased: true });
    const dumps = {
      database: await databaseDump(),
      kafka: messages.map((m) => `${m.key ?? ''} ${m.value} ${JSON.stringify(m.headers)}`).join('\n'),
      logs: svc.logLines.join(''),
    };
    expect(dumps.kafka.length).toBeGreaterThan(0);
    expect(dumps.logs.length).toBeGreaterThan(0);
    for (const [where, dump] of Object.entries(dumps))
      for (const personal of PERSONAL)
        expect({ where, found: dump.includes(personal) }).toEqual({ where, found: false });

    const after = await svc.http(officer, 'POST', '/subject-rights/access-report', { subjectId });
    expect(after.body).toMatchObject({
      erasure: { erasedAt: erased.body.erasedAt, followUp: { consent: 'done' }, guarantee: erased.body.guarantee },
      services: { consent: { consents: [{ status: 'withdrawn', evidence: { documentReference: null } }] } },
    });
    // Both reports and the erasure are in the access log.
    const logged = await svc.http(officer, 'POST', '/access-log/search', { subjectId, purpose: 'privacy-oversight' });
    expect(logged.body.count).toBe(0); // subject-rights acts are logged under their own purpose ...
    const acts = (
      await svc.pool.query(
        `SELECT entry FROM access_log WHERE entry->>'purpose' = 'subject-rights' ORDER BY access_log.seq`,
      )
    ).rows.map((r) => `${r.entry.action}:${r.entry.resource.type}`);
    expect(acts).toEqual(['R:subject-access-report', 'D:subject-key', 'R:subject-access-report']);
  });
});
