import { randomUUID } from 'node:crypto';
import { createApp, createDevIssuer, type Role } from '@wor/service-kit';
import type { Express } from 'express';
import { responseValidator } from '@wor/test-support';
import request from 'supertest';
import { referralOpenApi } from '../openapi';
import { workQueueRoutes } from './api';
import { accepted, coachAssigned, completed, firstContact, requested, workQueueFixture } from './testing/fixtures';

const ORG = 'welzijn-beterstad';
const OTHER_ORG = 'welzijn-elders';

describe('work-queue API (real PostgreSQL)', () => {
  let fx: Awaited<ReturnType<typeof workQueueFixture>>;
  let app: Express;
  let now: Date;
  const issuer = createDevIssuer({ secret: 'work-queue-test-secret-0123456789abcdef' });
  const token = (roles: Role[], sub: string, org: string | null) =>
    issuer.sign({ sub, roles, ...(org === null ? {} : { org }) });
  /** org `null`: a token without an organisation claim. */
  // Every answer is checked against the service's OpenAPI document.
  const documented = responseValidator(referralOpenApi);
  const get = async (path: string, roles: Role[] = ['coordinator'], sub = 'coach-anna', org: string | null = ORG) => {
    const res = await request(app)
      .get(path)
      .set('Authorization', `Bearer ${await token(roles, sub, org)}`);
    const contentType = String(res.headers['content-type'] ?? '');
    documented({ method: 'GET', url: path, status: res.status, contentType, body: res.body });
    return res;
  };
  const ids = (res: request.Response) => (res.body.items as { referralId: string }[]).map((i) => i.referralId);

  // Four referrals of ORG requested on successive days, one of OTHER_ORG.
  const r = Array.from({ length: 4 }, () => randomUUID());
  const elsewhere = randomUUID();

  beforeEach(async () => {
    fx = await workQueueFixture();
    now = new Date('2026-11-26T12:00:00.000Z');
    app = createApp({
      serviceName: 'referral',
      logger: fx.logger,
      authenticate: issuer.authenticate,
      routes: workQueueRoutes({ pool: fx.pool, now: () => now, catchUp: async () => void (await fx.settle()) }),
    });
    await fx.append(
      r[0]!,
      requested(r[0]!, { requestedAt: '2026-11-16T09:00:00.000Z' }),
      accepted(r[0]!),
      coachAssigned(r[0]!, 'coach-anna'),
    );
    await fx.append(r[1]!, requested(r[1]!, { requestedAt: '2026-11-17T09:00:00.000Z' }));
    await fx.append(
      r[2]!,
      requested(r[2]!, { requestedAt: '2026-11-18T09:00:00.000Z' }),
      accepted(r[2]!),
      coachAssigned(r[2]!, 'coach-anna'),
      firstContact(r[2]!, '2026-11-24T09:00:00.000Z'),
    );
    await fx.append(
      r[3]!,
      requested(r[3]!, { requestedAt: '2026-11-25T09:00:00.000Z' }),
      accepted(r[3]!),
      coachAssigned(r[3]!, 'coach-bert'),
    );
    await fx.append(
      elsewhere,
      requested(elsewhere, { organisationId: OTHER_ORG, requestedAt: '2026-11-10T09:00:00.000Z' }),
      coachAssigned(elsewhere, 'coach-anna'),
    );
  });

  afterEach(() => fx.close());

  it("lists the caller's organisation's open referrals, longest waiting first, with no other organisation's", async () => {
    const res = await get('/work-queues/organisation');
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(r);
    expect(res.body).toMatchObject({ page: 1, size: 25, total: 4 });
    expect(res.body.items[0]).toEqual({
      referralId: r[0],
      status: 'accepted',
      reasons: ['eenzaamheid', 'somberheid-angst'],
      ageBand: '65-74',
      sex: 'female',
      practiceId: 'huisarts-beterschap',
      coachId: 'coach-anna',
      requestedAt: '2026-11-16T09:00:00.000Z',
      firstContactDeadline: '2026-11-23T23:00:00.000Z',
      firstContactAt: null,
      waitingDays: 10,
      overdue: true,
      version: 2,
    });
    const other = await get('/work-queues/organisation', ['coach'], 'coach-x', OTHER_ORG);
    expect(ids(other)).toEqual([elsewhere]);
  });

  it('computes overdue at query time: no first contact and past the deadline', async () => {
    const overdue = async () =>
      Object.fromEntries(
        ((await get('/work-queues/organisation')).body.items as { referralId: string; overdue: boolean }[]).map((i) => [
          i.referralId,
          i.overdue,
        ]),
      );
    // r0 due end of Mon 23 Nov, r1 end of Tue 24 Nov, r2 had contact, r3 due end of Wed 2 Dec.
    now = new Date('2026-11-24T22:59:59.000Z');
    expect(await overdue()).toEqual({ [r[0]!]: true, [r[1]!]: false, [r[2]!]: false, [r[3]!]: false });
    now = new Date('2026-11-24T23:00:00.001Z');
    expect(await overdue()).toEqual({ [r[0]!]: true, [r[1]!]: true, [r[2]!]: false, [r[3]!]: false });
    now = new Date('2026-12-10T12:00:00.000Z');
    expect(await overdue()).toEqual({ [r[0]!]: true, [r[1]!]: true, [r[2]!]: false, [r[3]!]: true });
    expect(ids(await get('/work-queues/organisation?overdue=true'))).toEqual([r[0], r[1], r[3]]);
    expect(ids(await get('/work-queues/organisation?overdue=false'))).toEqual([r[2]]);
  });

  it('filters unassigned and by status, sorts both ways and pages', async () => {
    expect(ids(await get('/work-queues/organisation?unassigned=true'))).toEqual([r[1]]);
    expect(ids(await get('/work-queues/organisation?status=accepted'))).toEqual([r[0], r[3]]);
    expect(ids(await get('/work-queues/organisation?status=in-progress'))).toEqual([r[2]]);
    expect(ids(await get('/work-queues/organisation?sort=waiting'))).toEqual([r[3], r[2], r[1], r[0]]);
    const page2 = await get('/work-queues/organisation?size=3&page=2');
    expect(ids(page2)).toEqual([r[3]]);
    expect(page2.body).toMatchObject({ page: 2, size: 3, total: 4 });
    const beyond = await get('/work-queues/organisation?size=3&page=5');
    expect(beyond.body).toMatchObject({ items: [], page: 5, total: 4 });
  });

  it('shows a coach their own referrals in their organisation only', async () => {
    const mine = await get('/work-queues/mine', ['coach'], 'coach-anna');
    expect(mine.status).toBe(200);
    expect(ids(mine)).toEqual([r[0], r[2]]); // not the OTHER_ORG referral assigned to the same id
    expect(ids(await get('/work-queues/mine?status=in-progress&sort=waiting', ['coach'], 'coach-anna'))).toEqual([
      r[2],
    ]);
    expect(ids(await get('/work-queues/mine', ['coach'], 'coach-bert'))).toEqual([r[3]]);
  });

  it('reads its own writes and drops closed referrals', async () => {
    await fx.append(r[1]!, accepted(r[1]!), coachAssigned(r[1]!, 'coach-anna'));
    await fx.append(r[0]!, firstContact(r[0]!), completed(r[0]!));
    expect(ids(await get('/work-queues/mine', ['coach'], 'coach-anna'))).toEqual([r[1], r[2]]);
    expect(ids(await get('/work-queues/organisation?unassigned=true'))).toEqual([]);
  });

  it('refuses callers without the role or an organisation', async () => {
    expect((await request(app).get('/work-queues/organisation')).status).toBe(401);
    expect((await get('/work-queues/organisation', ['referrer'])).status).toBe(403);
    expect((await get('/work-queues/mine', ['coordinator'])).status).toBe(403);
    const noOrg = await get('/work-queues/organisation', ['coordinator'], 'c-1', null);
    expect(noOrg.status).toBe(403);
    expect(noOrg.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('rejects a bad query with 422 and the offending fields', async () => {
    const res = await get(
      '/work-queues/organisation?status=completed&sort=age&size=1000&page=0&unassigned=yes&organisationId=x',
    );
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['', 'page', 'size', 'sort', 'status', 'unassigned']);
    expect((await get('/work-queues/mine?unassigned=true', ['coach'])).status).toBe(422);
    expect((await get('/work-queues/organisation?page=1&page=2')).status).toBe(422);
  });
});
