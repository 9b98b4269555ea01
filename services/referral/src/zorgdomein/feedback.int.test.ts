import { bsnSequence, eventually } from '@wor/test-support';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { coordinator, startReferralService, type ReferralServiceUnderTest, type TestCaller } from '../testing/harness';
import { CLUSTER, PRACTICE_AGB, referralDocument } from './testing/documents';

const channel: TestCaller = { sub: 'zorgdomein-channel', roles: ['referral-channel'] };
const bsn = bsnSequence(40_000_000);

type Received = { authorization: string | undefined; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('feedback back to the GP through the ZorgDomein channel (test receiver, real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  let receiver: Server;
  const received: Received[] = [];
  // Refusals per referral, so a late delivery of another test's document cannot take them.
  const refusals = new Map<string, number>();
  type Document = { entry?: { resource: { about?: { identifier: { value: string } }[] } }[] };
  const aboutOf = (body: Document): string | undefined =>
    body.entry?.find((e) => e.resource.about)?.resource.about?.[0]?.identifier.value;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const parsed = JSON.parse(body);
        const about = aboutOf(parsed) ?? '';
        const left = refusals.get(about) ?? 0;
        if (left > 0) {
          refusals.set(about, left - 1);
          res.writeHead(503).end();
          return;
        }
        received.push({ authorization: req.headers.authorization, body: parsed });
        res.writeHead(201).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    process.env.REFERRAL_ZORGDOMEIN_RETRY_MS = '200';
    process.env.REFERRAL_ZORGDOMEIN_FEEDBACK_URL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/Bundle`;
    process.env.REFERRAL_ZORGDOMEIN_FEEDBACK_TOKEN = 'gp-side-token';
    svc = await startReferralService();
    await svc.agreement();
    await svc.http(coordinator, 'PUT', '/zorgdomein/addresses', {
      ...CLUSTER,
      kind: 'recipient',
      organisationId: 'welzijn-beterstad',
      municipality: 'GM9999',
    });
  });
  afterAll(async () => {
    for (const v of [
      'REFERRAL_ZORGDOMEIN_RETRY_MS',
      'REFERRAL_ZORGDOMEIN_FEEDBACK_URL',
      'REFERRAL_ZORGDOMEIN_FEEDBACK_TOKEN',
    ])
      delete process.env[v];
    await svc.stop();
    await new Promise((r) => receiver.close(r));
  });

  const practice = (feedbackDetail: 'codes' | 'codes-and-message') =>
    svc.http(coordinator, 'PUT', '/zorgdomein/addresses', {
      ...PRACTICE_AGB,
      kind: 'practice',
      organisationId: 'huisarts-beterschap',
      feedbackDetail,
    });
  const referByDocument = async () => {
    const patient = bsn();
    await svc.consentFor(patient);
    const documentId = randomUUID();
    expect((await svc.http(channel, 'POST', '/zorgdomein/Bundle', referralDocument(documentId, patient))).status).toBe(
      201,
    );
    const referralId = await eventually(
      async () => {
        const status = await svc.http(channel, 'GET', `/zorgdomein/Bundle/${documentId}`);
        return /referral ([0-9a-f-]{36})/.exec(status.body.issue[0].diagnostics)?.[1];
      },
      15_000,
      'the referral',
    );
    return { referralId, patient };
  };
  const accept = async (referralId: string, feedbackMessage: string) => {
    const current = await svc.http(coordinator, 'GET', `/referrals/${referralId}`);
    const answer = await svc.http(
      coordinator,
      'POST',
      `/referrals/${referralId}/accept`,
      { feedbackMessage },
      {
        'if-match': current.headers.get('etag')!,
      },
    );
    expect(answer.status).toBe(200);
  };
  const documentFor = (referralId: string) =>
    eventually(
      async () =>
        received.find(
          (r) => r.body.entry.some((e: any) => e.resource.about?.[0]?.identifier?.value === `urn:uuid:${referralId}`), // eslint-disable-line @typescript-eslint/no-explicit-any
        ),
      15_000,
      'the feedback document',
    );

  it('delivers the acceptance as a FHIR document addressed to the referring practitioner, with the ICPC code; codes only by default', async () => {
    await practice('codes');
    const { referralId, patient } = await referByDocument();
    await accept(referralId, 'Wij nemen binnen een week contact op.');
    const { authorization, body } = await documentFor(referralId);
    expect(authorization).toBe('Bearer gp-side-token');
    expect(body).toMatchObject({ resourceType: 'Bundle', type: 'document' });
    const [composition, person, , communication] = body.entry.map((e: { resource: unknown }) => e.resource);
    expect(composition.resourceType).toBe('Composition');
    expect(composition.section[0].code.coding[0]).toMatchObject({ code: 'Z68' });
    expect(person.identifier[0].value).toBe(patient);
    expect(communication).toMatchObject({
      resourceType: 'Communication',
      recipient: [{ identifier: { value: '01012345' } }],
      category: [{ coding: [{ code: 'acceptance' }] }],
    });
    expect(JSON.stringify(body)).not.toContain('binnen een week');
  });

  it("adds the coach's message when the practice agreed to it, and delivers after the receiver was down, as the same document", async () => {
    await practice('codes-and-message');
    const { referralId } = await referByDocument();
    refusals.set(`urn:uuid:${referralId}`, 3);
    await accept(referralId, 'Wij nemen binnen een week contact op.');
    const { body } = await documentFor(referralId);
    expect(refusals.get(`urn:uuid:${referralId}`)).toBe(0);
    expect(JSON.stringify(body)).toContain('Wij nemen binnen een week contact op.');
    // The sender records the delivery once the receiver's answer is in, just after the receiver has it.
    const row = await eventually(
      async () =>
        (
          await svc.pool.query(
            `SELECT status, attempts, document_id FROM zorgdomein_outbound WHERE referral_id = $1 AND status = 'delivered'`,
            [referralId],
          )
        ).rows[0],
      15_000,
      'the delivery recorded',
    );
    expect(row).toMatchObject({ status: 'delivered', attempts: 4, document_id: body.id });
  });
});
