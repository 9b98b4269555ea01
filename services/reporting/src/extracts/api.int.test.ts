// The HTTP API of the running service, fed through its consumer (in-process transport, real PostgreSQL).
import { Topics } from '@wor/contracts';
import { createInProcessTransport, type Transport } from '@wor/messaging';
import {
  createDevIssuer,
  createLogger,
  createMetrics,
  registeredRoutes,
  type Role,
  serviceDeps,
  type WorService,
} from '@wor/service-kit';
import { checkOpenApiConformance, eventually, freshSchemaPool, responseValidator, uniqueName } from '@wor/test-support';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import request from 'supertest';
import { reportingOpenApi } from '../openapi';
import type { ReportingEvent } from '../received-events/events';
import { createReportingService } from '../service';
import { capacityPlanned, fullReferral, referralEvents } from '../testing/events';

// Every answer the tests get is checked against the OpenAPI document: the document cannot drift.
const documented = responseValidator(reportingOpenApi);
const checked = (r: request.Response): request.Response => {
  const { method, path } = (r as unknown as { req: { method: string; path: string } }).req;
  const contentType = String(r.headers['content-type'] ?? '');
  documented({
    method,
    url: path,
    status: r.status,
    contentType,
    body: contentType.includes('json') ? r.body : r.text,
  });
  return r;
};

const issuer = createDevIssuer({ secret: 'reporting-api-test-secret-0123456789abcdef' });
const token = (roles: Role[], municipality?: string) =>
  issuer.sign({ sub: 'u-1', roles, ...(municipality ? { municipality } : {}) });

describe('reporting API (real PostgreSQL, in-process transport)', () => {
  let pool: Pool;
  let close: () => Promise<void>;
  let transport: Transport;
  let service: WorService;
  let prefix: string;

  beforeAll(async () => {
    const fresh = await freshSchemaPool('rep');
    ({ pool, close } = fresh);
    transport = createInProcessTransport();
    prefix = `${uniqueName('rep')}_`;
    service = await createReportingService(
      serviceDeps({
        pool,
        schema: fresh.schema,
        transport,
        logger: createLogger('reporting', { level: 'silent' }),
        metrics: createMetrics({ defaultMetrics: false }),
        authenticate: issuer.authenticate,
        topicPrefix: prefix,
        pseudonymSecret: randomBytes(32).toString('hex'),
        masterKey: randomBytes(32),
        now: () => new Date('2026-04-01T10:00:00Z'),
      }),
    );
    await service.start();
  });

  afterAll(async () => {
    await service?.stop();
    await close?.();
  });

  const publish = (events: ReportingEvent[]) =>
    transport.publish(
      prefix + Topics.referral,
      events.map((e) => ({
        key: (e.data as { referralId?: string }).referralId ?? e.eventId,
        value: JSON.stringify(e),
      })),
    );

  const get = async (path: string, roles: Role[] = ['reporting-consumer'], municipality: string | null = 'GM0001') =>
    checked(
      await request(service.app)
        .get(path)
        .set('authorization', `Bearer ${await token(roles, municipality ?? undefined)}`),
    );

  it('serves a lint-clean OpenAPI document of every mounted route, and its reference page', async () => {
    await checkOpenApiConformance({
      document: reportingOpenApi,
      mounted: registeredRoutes(service.app).map((r) => `${r.method} ${r.path}`),
      get: async (path) => {
        const r = await request(service.app).get(path);
        return { status: r.status, contentType: String(r.headers['content-type'] ?? ''), text: r.text };
      },
    });
  });

  it('serves the extract from consumed events, in JSON and CSV, for the own municipality only', async () => {
    await publish([
      ...Array.from({ length: 11 }, () => fullReferral()).flat(),
      referralEvents().requested({ municipality: 'GM0002' }),
    ]);
    await eventually(
      async () => {
        const r = await get('/extracts/gala?municipality=GM0001&period=2026-Q1');
        return r.body.tables?.[0]?.total?.value === 11 ? true : undefined;
      },
      20_000,
      'the referrals in the extract',
    );

    const json = await get('/extracts/gala?municipality=GM0001&period=2026-Q1');
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const asOf = json.body.asOf.position as number;
    expect(json.headers['content-disposition']).toBe(`attachment; filename="wor-gala-GM0001-2026-Q1-at-${asOf}.json"`);

    const csv = await get(`/extracts/gala?municipality=GM0001&period=2026-Q1&format=csv&asOf=${asOf}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toContain(`metadata,,,as-of-position,${asOf},\r\n`);

    expect((await get('/extracts/gala?municipality=GM0002&period=2026-Q1')).status).toBe(403);
    expect((await get('/extracts/gala?municipality=GM0002&period=2026-Q1', ['reporting-consumer'], null)).status).toBe(
      403,
    );
    expect((await get('/extracts/gala?municipality=GM0002&period=2026-Q1', ['admin'], null)).status).toBe(200);
    expect((await get('/extracts/gala?municipality=GM0001&period=2026-Q1', ['coach'])).status).toBe(403);
    expect((await get(`/extracts/gala?municipality=GM0001&period=2026-Q1&asOf=${asOf + 1000}`)).status).toBe(409);
  });

  it('answers bad queries with 422 and the field paths', async () => {
    const bad = await get('/extracts/gala?municipality=X&period=2026-Q9&format=xml');
    expect(bad.status).toBe(422);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['format', 'municipality', 'period']);
  });

  it('keeps practice list sizes and shows the thermometer, trends and practice rates', async () => {
    const put = checked(
      await request(service.app)
        .put('/practices/huisarts-een/list-size')
        .set('authorization', `Bearer ${await token(['reporting-consumer'], 'GM0001')}`)
        .send({ municipality: 'GM0001', registeredPatients: 2000 }),
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      practiceId: 'huisarts-een',
      registeredPatients: 2000,
      setAt: '2026-04-01T10:00:00.000Z',
    });
    const other = checked(
      await request(service.app)
        .put('/practices/huisarts-een/list-size')
        .set('authorization', `Bearer ${await token(['reporting-consumer'], 'GM0001')}`)
        .send({ municipality: 'GM0002', registeredPatients: -1 }),
    );
    expect(other.status).toBe(422);
    expect((await get('/practices?municipality=GM0001')).body.items).toEqual([
      { practiceId: 'huisarts-een', registeredPatients: 2000, setAt: '2026-04-01T10:00:00.000Z' },
    ]);

    const thermometer = await get('/dashboards/thermometer?municipality=GM0001&period=2026-Q1');
    expect(thermometer.status).toBe(200);
    expect(thermometer.body).toMatchObject({
      referrals: { count: 11, expectedMin: 1.5, expectedMax: 3.9, light: 'orange' },
      timeToFirstContact: { medianDays: 5, light: 'green' },
      feedbackToReferrer: { sentPercent: 100, light: 'green' },
    });
    const practices = await get('/dashboards/practices?municipality=GM0001&period=2026-Q1');
    expect(practices.body.practices).toEqual([
      expect.objectContaining({
        practiceId: 'huisarts-een',
        referrals: { value: 11, flag: null },
        againstExpectation: 'above',
      }),
    ]);
    const trends = await get('/dashboards/trends?municipality=GM0001&year=2026');
    expect(
      trends.body.periods.map((p: { period: string; referrals: number | null }) => [p.period, p.referrals]),
    ).toEqual([
      ['2026-B1', 0],
      ['2026-B2', 11],
      ['2026-B3', 0],
      ['2026-B4', 0],
      ['2026-B5', 0],
      ['2026-B6', 0],
    ]);
  });

  it('shows coach hours planned against used, and expected referrals against received (capacity dashboard)', async () => {
    await publish(['2026-04', '2026-05', '2026-06'].map((month) => capacityPlanned('welzijn-een', month, 40)));
    const q2 = '/dashboards/capacity?municipality=GM0001&period=2026-Q2';
    await eventually(
      async () => ((await get(q2)).body.coachHours?.planned === 120 ? true : undefined),
      20_000,
      'the plans in the dashboard',
    );
    // The eleven referrals of March closed in May with 8 hours each.
    const answer = await get(q2);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      period: { id: '2026-Q2' },
      referrals: { received: 0, expectedMin: expect.any(Number), expectedMax: expect.any(Number) },
      coachHours: { planned: 120, used: 88, usedPercent: 73.3 },
      organisations: [
        {
          organisationId: 'welzijn-een',
          coachHours: { planned: 120, used: 88 },
          referrals: { plannedFor: 14.1, received: 0, closed: 11 },
        },
      ],
    });
    const q1 = await get('/dashboards/capacity?municipality=GM0001&period=2026-Q1');
    expect(q1.body).toMatchObject({
      referrals: { received: 11, expectedMin: 1.5, expectedMax: 3.9 },
      coachHours: { planned: null, used: 0 },
    });
    // The policy of every dashboard: the own municipality only.
    expect((await get('/dashboards/capacity?municipality=GM0002&period=2026-Q2')).status).toBe(403);
    expect((await get('/dashboards/capacity?municipality=GM0001&period=2026-Q2', ['coach'])).status).toBe(403);
    expect((await get('/dashboards/capacity?municipality=GM0001&period=2026-Q7')).status).toBe(422);
  });
});
