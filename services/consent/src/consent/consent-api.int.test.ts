import { randomUUID } from 'node:crypto';
import {
  agreementBody,
  consentBody,
  gp,
  officer,
  startConsentService,
  type ConsentServiceUnderTest,
} from '../testing/harness';

describe('consents, agreements and access decisions over HTTP (real PostgreSQL)', () => {
  let svc: ConsentServiceUnderTest;
  beforeAll(async () => {
    svc = await startConsentService();
  });
  afterAll(() => svc.stop());

  const decide = (bsn: string, over: Record<string, unknown> = {}, caller = gp) =>
    svc.http(caller, 'POST', '/access-decisions', {
      patient: { bsn },
      organisationId: 'welzijn-beterstad',
      partnerOrganisationId: 'huisarts-beterschap',
      purpose: 'wor-referral',
      dataCategory: 'contact-details',
      ...over,
    });

  it('records a consent with its evidence; the BSN is not stored, the document reference only sealed', async () => {
    const created = await svc.http(gp, 'POST', '/consents', consentBody('123456782'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      provision: 'permit',
      status: 'active',
      subjectId: expect.stringMatching(/^sub_/),
      recipientOrganisationIds: ['welzijn-beterstad'],
      evidence: { recordedBy: 'gp-system-1', method: 'signed', documentReference: 'scan-toestemming-0042' },
    });
    const dump =
      JSON.stringify((await svc.pool.query('SELECT * FROM events')).rows) +
      JSON.stringify((await svc.pool.query('SELECT * FROM consents')).rows);
    expect(dump).not.toContain('123456782');
    expect(dump).not.toContain('scan-toestemming-0042');
    expect((await svc.http(gp, 'GET', `/consents/${created.body.consentId}`)).body).toEqual(created.body);
  });

  it('keeps the first API version: one recipientOrganisationId', async () => {
    const created = await svc.http(gp, 'POST', '/consents', {
      ...consentBody('123456794'),
      recipientOrganisationIds: undefined,
      recipientOrganisationId: 'welzijn-beterstad',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      recipientOrganisationId: 'welzijn-beterstad',
      recipientOrganisationIds: ['welzijn-beterstad'],
    });
  });

  it('rejects bad input with 422 field paths and stores nothing', async () => {
    const before = (await svc.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    const bad = await svc.http(gp, 'POST', '/consents', {
      ...consentBody('12'),
      purposes: [],
      evidence: { method: 'telepathy' },
    });
    expect(bad.status).toBe(422);
    expect(bad.contentType).toMatch(/problem\+json/);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['patient.bsn', 'purposes', 'evidence.method']),
    );
    expect((await svc.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
  });

  it('decides: consent alone is not enough, an active agreement is needed too; withdrawal takes effect at once', async () => {
    const bsn = '111111110';
    const consent = await svc.http(gp, 'POST', '/consents', consentBody(bsn));
    // Without an agreement the practice may not even ask (no consent oracle); the privacy officer may.
    expect((await decide(bsn)).status).toBe(403);
    const noAgreement = await decide(bsn, {}, officer);
    expect(noAgreement.body.decision).toMatchObject({
      permitted: false,
      checks: { consent: true, agreement: false },
      reason: expect.stringMatching(/no active data-sharing agreement/),
    });

    const agreementId = randomUUID();
    expect((await svc.http(officer, 'POST', '/agreements', agreementBody(agreementId))).status).toBe(201);
    expect((await decide(bsn, {}, officer)).body.decision.checks.agreement).toBe(false); // a draft shares nothing
    expect((await svc.http(officer, 'POST', `/agreements/${agreementId}/activate`)).body.status).toBe('active');
    expect((await decide(bsn)).body.decision).toMatchObject({
      permitted: true,
      consentId: consent.body.consentId,
      agreementId,
    });

    expect((await svc.http(gp, 'POST', `/consents/${consent.body.consentId}/withdraw`)).body.status).toBe('withdrawn');
    expect((await decide(bsn)).body.decision).toMatchObject({
      permitted: false,
      reason: expect.stringMatching(/no consent in effect/),
    });
    expect((await svc.http(gp, 'POST', `/consents/${consent.body.consentId}/withdraw`)).status).toBe(409);

    expect((await svc.http(officer, 'POST', `/agreements/${agreementId}/terminate`)).body.status).toBe('terminated');
  });

  it('resolves an objection against a broader consent, over HTTP', async () => {
    const bsn = '222222220';
    await svc
      .http(officer, 'POST', '/agreements', agreementBody(randomUUID(), { validUntil: '2099-01-01T00:00:00Z' }))
      .then(async (a) => {
        await svc.http(officer, 'POST', `/agreements/${a.body.agreementId}/activate`);
      });
    await svc.http(gp, 'POST', '/consents', consentBody(bsn, { dataCategories: null }));
    const objection = await svc.http(
      gp,
      'POST',
      '/consents',
      consentBody(bsn, { provision: 'deny', dataCategories: ['referral-reason'] }),
    );
    expect(objection.status).toBe(201);
    expect((await decide(bsn)).body.decision.permitted).toBe(true);
    expect((await decide(bsn, { dataCategory: 'referral-reason' })).body.decision).toMatchObject({
      permitted: false,
      consentId: objection.body.consentId,
    });
  });

  it('shows privacy officers the agreements expiring within 60 days', async () => {
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const later = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const ids = [randomUUID(), randomUUID()];
    for (const [i, validUntil] of [soon, later].entries()) {
      await svc.http(officer, 'POST', '/agreements', agreementBody(ids[i]!, { validUntil }));
      await svc.http(officer, 'POST', `/agreements/${ids[i]}/activate`);
    }
    const expiring = await svc.http(officer, 'GET', '/agreements/expiring');
    expect(expiring.status).toBe(200);
    const found = expiring.body.items.map((a: { agreementId: string }) => a.agreementId);
    expect(found).toContain(ids[0]);
    expect(found).not.toContain(ids[1]);
    expect((await svc.http(gp, 'GET', '/agreements/expiring')).status).toBe(403);
  });

  it('refuses an invalid agreement with 409 and a malformed one with 422', async () => {
    const noProcessor = await svc.http(
      officer,
      'POST',
      '/agreements',
      agreementBody(randomUUID(), { kind: 'verwerkersovereenkomst' }),
    );
    expect(noProcessor.status).toBe(409);
    const malformed = await svc.http(
      officer,
      'POST',
      '/agreements',
      agreementBody('x', { legalBasis: { article6: 'z' } }),
    );
    expect(malformed.status).toBe(422);
  });

  it('lets organisations ask only about their own sharing, and logs every question and consent read', async () => {
    const bsn = '444444440';
    const consent = await svc.http(gp, 'POST', '/consents', consentBody(bsn));
    const elsewhere = { sub: 'coach-x', roles: ['coach' as const], org: 'welzijn-elders' };
    expect(
      (
        await svc.http(elsewhere, 'POST', '/access-decisions', {
          patient: { bsn },
          organisationId: 'welzijn-beterstad',
          partnerOrganisationId: 'huisarts-beterschap',
          purpose: 'wor-referral',
          dataCategory: 'contact-details',
        })
      ).status,
    ).toBe(403);
    expect((await decide(bsn)).status).toBe(200);
    await svc.http(gp, 'GET', `/consents/${consent.body.consentId}`);
    const { rows } = await svc.pool.query(
      `SELECT entry FROM access_log WHERE entry->>'subjectId' = $1 ORDER BY access_log.seq`,
      [consent.body.subjectId],
    );
    expect(rows.map((r) => `${r.entry.action}:${r.entry.resource.type}:${r.entry.userId}:${r.entry.outcome}`)).toEqual([
      'C:consent:gp-system-1:allowed',
      'E:access-decision:coach-x:denied',
      'E:access-decision:gp-system-1:allowed',
      'R:consent:gp-system-1:allowed',
    ]);
  });

  it('streams the decision and its change as Server-Sent Events', async () => {
    const bsn = '333333330';
    const consent = await svc.http(gp, 'POST', '/consents', consentBody(bsn));
    const { subjectId } = consent.body;
    const controller = new AbortController();
    const { createDevIssuer } = await import('@wor/service-kit');
    const token = await createDevIssuer().sign(gp);
    const q = new URLSearchParams({
      subjectId,
      organisationId: 'welzijn-beterstad',
      partnerOrganisationId: 'huisarts-beterschap',
      purpose: 'wor-referral',
      dataCategory: 'contact-details',
      intervalMs: '100',
    });
    const response = await fetch(`${svc.url}/access-decisions/stream?${q}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decisions: { consent: boolean }[] = [];
    let buffer = '';
    const next = async () => {
      for (;;) {
        const frames = buffer.split('\n\n');
        if (frames.length > 1) {
          buffer = frames.slice(1).join('\n\n');
          return JSON.parse(
            frames[0]!
              .split('\n')
              .find((l) => l.startsWith('data: '))!
              .slice(6),
          ).decision.checks;
        }
        const { value } = await reader.read();
        buffer += Buffer.from(value!).toString('utf8');
      }
    };
    decisions.push(await next());
    await svc.http(gp, 'POST', `/consents/${consent.body.consentId}/withdraw`);
    decisions.push(await next());
    controller.abort();
    expect(decisions.map((d) => d.consent)).toEqual([true, false]);
  });
});
