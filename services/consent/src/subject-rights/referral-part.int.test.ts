// The combined art. 15 report asks the referral service with the officer's own token, and says which
// part is missing when that service fails. A stand-in referral service records what it was asked.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { officer, startConsentService, type ConsentServiceUnderTest } from '../testing/harness';

const SUBJECT = `sub_${'a'.repeat(32)}`;

describe('the art. 15 report gathers the referral service part (real PostgreSQL)', () => {
  let svc: ConsentServiceUnderTest;
  let server: Server;
  let answer = 200;
  const asked: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push({ url: req.url, headers: req.headers });
      res.writeHead(answer, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          answer === 200
            ? { service: 'referral', subjectId: SUBJECT, referrals: [{ referralId: 'r-1' }], accessLog: [] }
            : { status: answer },
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    svc = await startConsentService({ env: { WOR_REFERRAL_URL: url } });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await svc.stop();
  });

  it('forwards the privacy officer own bearer token and puts the answer in one report', async () => {
    const report = await svc.http(officer, 'POST', '/subject-rights/access-report', { subjectId: SUBJECT });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      subjectId: SUBJECT,
      missing: [],
      services: { referral: { service: 'referral', referrals: [{ referralId: 'r-1' }] }, consent: { consents: [] } },
    });
    expect(asked.at(-1)!.url).toBe(`/subjects/${SUBJECT}/report`);
    expect(asked.at(-1)!.headers.authorization).toMatch(/^Bearer /);
    // The token is the officer's: its subject is theirs, not the consent service's.
    const payload = JSON.parse(
      Buffer.from(asked.at(-1)!.headers.authorization!.split('.')[1]!, 'base64url').toString(),
    );
    expect(payload).toMatchObject({ sub: 'po-1', roles: ['privacy-officer'] });
  });

  it('says the referral part is missing when that service fails, and still reports the rest', async () => {
    answer = 503;
    const report = await svc.http(officer, 'POST', '/subject-rights/access-report', { subjectId: SUBJECT });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      missing: ['referral'],
      services: { referral: { missing: expect.stringContaining('503') }, consent: { consents: [] } },
    });
  });
});
