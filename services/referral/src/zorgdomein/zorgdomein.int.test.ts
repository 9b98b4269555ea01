import { bsnSequence, eventually } from '@wor/test-support';
import { randomUUID } from 'node:crypto';
import {
  coordinator,
  gp,
  startReferralService,
  type ReferralServiceUnderTest,
  type TestCaller,
} from '../testing/harness';
import { CLUSTER, PRACTICE_AGB, referralDocument } from './testing/documents';

const channel: TestCaller = { sub: 'zorgdomein-channel', roles: ['referral-channel'] };
const bsn = bsnSequence(20_000_000);

describe('ZorgDomein channel: referral documents into the work queue (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  const count = async (sql: string, params: unknown[] = []) =>
    (await svc.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
  const inboxCount = () => count('zorgdomein_inbox');
  const referralCount = () => count(`streams WHERE stream_id LIKE 'referral-%'`);
  const post = (document: unknown, headers: Record<string, string> = {}) =>
    svc.http(channel, 'POST', '/zorgdomein/Bundle', document, { 'content-type': 'application/fhir+json', ...headers });
  const inQueue = async (referralId: string) => {
    const queue = await svc.http(coordinator, 'GET', '/work-queues/organisation');
    return (queue.body.items as { referralId: string }[]).find((i) => i.referralId === referralId);
  };
  const referralIdOf = async (documentId: string) => {
    const status = await svc.http(channel, 'GET', `/zorgdomein/Bundle/${documentId}`);
    return /referral ([0-9a-f-]{36})/.exec(status.body.issue[0].diagnostics)?.[1];
  };

  beforeAll(async () => {
    process.env.REFERRAL_ZORGDOMEIN_RETRY_MS = '200';
    svc = await startReferralService();
    await svc.agreement();
    const mapped = await svc.http(coordinator, 'PUT', '/zorgdomein/addresses', {
      ...CLUSTER,
      kind: 'recipient',
      organisationId: 'welzijn-beterstad',
      municipality: 'GM9999',
    });
    expect(mapped.status).toBe(200);
    expect(
      (
        await svc.http(coordinator, 'PUT', '/zorgdomein/addresses', {
          ...PRACTICE_AGB,
          kind: 'practice',
          organisationId: 'huisarts-beterschap',
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    delete process.env.REFERRAL_ZORGDOMEIN_RETRY_MS;
    await svc.stop();
  });

  it('takes a document as ZorgDomein sends it: 201 + Location, empty with return=minimal; the referral is in the queue with the letter and contact details sealed', async () => {
    const patient = bsn();
    await svc.consentFor(patient);
    const documentId = randomUUID();
    const answer = await post(referralDocument(documentId, patient), { prefer: 'return=minimal' });
    expect([answer.status, answer.text]).toEqual([201, '']);
    expect(answer.headers.get('location')).toBe(`/zorgdomein/Bundle/${documentId}`);

    const referralId = await eventually(() => referralIdOf(documentId), 15_000, 'the referral');
    expect(await inQueue(referralId)).toMatchObject({ status: 'requested' });
    const referral = await svc.http(coordinator, 'GET', `/referrals/${referralId}`);
    expect(referral.body).toMatchObject({
      practiceId: 'huisarts-beterschap',
      recipientOrganisationId: 'welzijn-beterstad',
      municipality: 'GM9999',
      reasons: ['eenzaamheid'],
      referrerRole: 'huisarts',
    });
    const details = await svc.http(coordinator, 'GET', `/referrals/${referralId}/personal-details`);
    expect(details.status).toBe(200);
    expect(JSON.stringify(details.body)).toContain('Voorbeeld');
    expect(JSON.stringify(details.body)).toContain('weinig contact & somber');
    // Sealed on disk: neither the name nor the letter is in the inbox row in clear.
    const row = (await svc.pool.query('SELECT * FROM zorgdomein_inbox WHERE document_id = $1', [documentId])).rows[0];
    expect(JSON.stringify(row)).not.toMatch(/Voorbeeld|somber|wandelen|12345678/);
    // NEN 7513: the receipt is an access of its own.
    expect(
      await count(
        `events WHERE stream_id LIKE 'access-log-%' AND data->'resource'->>'id' = $1 AND data->>'action' = 'C'`,
        [documentId],
      ),
    ).toBe(1);
  });

  it('answers a redelivered document the same and creates nothing; the same id with other content is 409', async () => {
    const patient = bsn();
    await svc.consentFor(patient);
    const documentId = randomUUID();
    const first = await post(referralDocument(documentId, patient));
    await eventually(() => referralIdOf(documentId), 15_000, 'the referral');
    const [inbox, referrals] = [await inboxCount(), await referralCount()];
    const again = await post(referralDocument(documentId, patient));
    expect(again.status).toBe(first.status);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect([await inboxCount(), await referralCount()]).toEqual([inbox, referrals]);

    const other = await post(referralDocument(documentId, patient, { reason: 'rouw' }));
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'duplicate' }] });
  });

  it.each([
    ['no Composition first', (d: any) => d.entry.reverse(), 'Bundle.entry[0].resource'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['not a document', (d: any) => (d.type = 'collection'), 'Bundle.type'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['no document id', (d: any) => delete d.id, 'Bundle.id'], // eslint-disable-line @typescript-eslint/no-explicit-any
    [
      'an unresolved reference',
      (d: any) => (d.entry[0].resource.subject.reference = 'Patient/elders'), // eslint-disable-line @typescript-eslint/no-explicit-any
      'Bundle.entry[0].resource.subject',
    ],
    ['a patient without BSN', (d: any) => (d.entry[1].resource.identifier = []), 'Patient.identifier'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ])(
    'refuses a broken document (%s) with an OperationOutcome naming it; nothing is stored',
    async (_, breakIt, expression) => {
      const document = referralDocument(randomUUID(), bsn());
      breakIt(document);
      const before = await inboxCount();
      const answer = await post(document);
      expect(answer.status).toBe(422);
      expect(answer.contentType).toMatch(/^application\/fhir\+json/);
      expect(answer.body.resourceType).toBe('OperationOutcome');
      expect(answer.body.issue.map((i: { expression: string[] }) => i.expression[0])).toContain(expression);
      expect(await inboxCount()).toBe(before);
    },
  );

  it('refuses a document for an unknown cluster (422 OperationOutcome), storing nothing', async () => {
    const document = referralDocument(randomUUID(), bsn());
    document.entry[5]!.resource.identifier = [{ system: CLUSTER.system, value: 'ZD-UNKNOWN' }];
    const before = await inboxCount();
    const answer = await post(document);
    expect(answer.status).toBe(422);
    expect(answer.body.issue[0]).toMatchObject({ code: 'not-found' });
    expect(await inboxCount()).toBe(before);
  });

  it('holds a document without consent, visible to the coordinator, and refers it once the consent arrives', async () => {
    const patient = bsn();
    const documentId = randomUUID();
    const answer = await post(referralDocument(documentId, patient));
    expect([answer.status, answer.text]).toEqual([201, expect.anything()]);
    expect(answer.body.issue[0].diagnostics).toMatch(/held \(awaiting consent\)/);
    const held = await svc.http(coordinator, 'GET', '/zorgdomein/held');
    expect(held.body.held).toEqual(
      expect.arrayContaining([expect.objectContaining({ documentId, holdReason: 'awaiting consent' })]),
    );
    expect(JSON.stringify(held.body)).not.toMatch(/Voorbeeld|somber/);
    // Another organisation's coordinator does not see it.
    expect(
      JSON.stringify((await svc.http({ ...coordinator, org: 'welzijn-elders' }, 'GET', '/zorgdomein/held')).body),
    ).not.toContain(documentId);

    await svc.consentFor(patient);
    const referralId = await eventually(
      () => referralIdOf(documentId),
      15_000,
      'the held document to become a referral',
    );
    await eventually(() => inQueue(referralId), 15_000, 'the referral in the queue');
    expect(JSON.stringify((await svc.http(coordinator, 'GET', '/zorgdomein/held')).body)).not.toContain(documentId);
  });

  it('takes documents only from the channel credential; clusters are mapped to the own organisation only', async () => {
    expect((await svc.http(gp, 'POST', '/zorgdomein/Bundle', referralDocument(randomUUID(), bsn()))).status).toBe(403);
    expect(
      (await svc.http(undefined, 'POST', '/zorgdomein/Bundle', referralDocument(randomUUID(), bsn()))).status,
    ).toBe(401);
    const elders = { ...coordinator, org: 'welzijn-elders' };
    const steal = await svc.http(elders, 'PUT', '/zorgdomein/addresses', {
      ...CLUSTER,
      kind: 'recipient',
      organisationId: 'welzijn-elders',
      municipality: 'GM9999',
    });
    expect(steal.status).toBe(409);
    const other = await svc.http(elders, 'PUT', '/zorgdomein/addresses', {
      ...CLUSTER,
      value: 'ZD-ELDERS',
      kind: 'recipient',
      organisationId: 'welzijn-beterstad',
      municipality: 'GM9999',
    });
    expect(other.status).toBe(403);
  });
});
