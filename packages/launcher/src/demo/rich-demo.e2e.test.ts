// A fresh start with the rich demo: the monitoring shows a living programme, the queues a mix, and
// a second load leaves the data as it is (loaded once per data directory).
import { databaseUrl, eventually, uniqueName } from '@wor/test-support';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startInProcess, type RunningPlatform } from '../in-process';
import { createDemoClock } from './clock';
import { createCaller } from './http';
import { loadDemo } from './index';

jest.setTimeout(300_000);

const year = new Date().getUTCFullYear();
const call = createCaller();
const reporter = { sub: 'gemeente-beterstad', roles: ['reporting-consumer' as const], municipality: 'GM9999' };
const coordinator = { sub: 'coordinator-beterstad', roles: ['coordinator' as const], org: 'welzijn-beterstad' };

describe('the rich demo after a fresh start', () => {
  let platform: RunningPlatform;
  let url: string;
  const prefix = `${uniqueName('demo')}_`;

  beforeAll(async () => {
    url = await databaseUrl();
    const clock = createDemoClock();
    platform = await startInProcess({
      databaseUrl: url,
      secrets: {
        WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
        WOR_MASTER_KEY: randomBytes(32).toString('base64'),
      },
      prefix,
      ports: { referral: 0, consent: 0, 'social-map': 0, reporting: 0 },
      now: clock.now,
    });
    await loadDemo('rich', platform.urls, clock, () => undefined);
    // Reporting counts by projection: wait until its count of the year stands still (all events in).
    let last: number | null | undefined;
    await eventually(
      async () => {
        const count = ((await thermometer()).body.referrals as { count: number | null } | undefined)?.count;
        const settled = typeof count === 'number' && count >= 55 && count === last;
        last = count;
        if (!settled) await new Promise((r) => setTimeout(r, 1000));
        return settled ? true : undefined;
      },
      90_000,
      'reporting to count the demo referrals',
    );
  });

  afterAll(async () => {
    await platform?.stop();
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ nspname: string }>(
      'SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)',
      [prefix],
    );
    for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
    await client.end();
  });

  const thermometer = async (caller = reporter, municipality = 'GM9999') =>
    call(
      caller,
      'GET',
      `${platform.urls.reporting}/dashboards/thermometer?municipality=${municipality}&period=${year}`,
    );

  it('gives the year thermometer a count, an expected range and lights', async () => {
    const { status, body } = await thermometer();
    expect(status).toBe(200);
    const referrals = body.referrals as {
      count: number | null;
      expectedMin: number;
      expectedMax: number;
      light: string;
    };
    expect(referrals.count).toBeGreaterThanOrEqual(55);
    expect(referrals.expectedMin).toBeCloseTo(34.5, 0);
    expect(referrals.expectedMax).toBeCloseTo(92, 0);
    const lights = [
      referrals.light,
      ...['timeToFirstContact', 'feedbackToReferrer'].map((k) => (body[k] as { light: string }).light),
    ];
    // On 2 December: green, green and orange (feedback: 50 of 60, the waiting ones have none yet).
    expect(lights.filter((l) => l !== 'unknown').length).toBeGreaterThanOrEqual(2);
    expect((body.outcomes as { closed: number | null }).closed).toBeGreaterThan(20);
  });

  it('rates every practice against its list size', async () => {
    const { body } = await call(
      reporter,
      'GET',
      `${platform.urls.reporting}/dashboards/practices?municipality=GM9999&period=${year}`,
    );
    const practices = body.practices as {
      practiceId: string;
      registeredPatients: number | null;
      againstExpectation: string | null;
    }[];
    expect(practices.map((p) => [p.practiceId, p.registeredPatients, p.againstExpectation]).sort()).toEqual([
      ['gezondheidscentrum-noord', 6020, 'within'],
      ['huisarts-beterschap', 2000, 'above'],
      ['huisartsenpraktijk-de-linde', 3480, 'within'],
    ]);
  });

  it('gives a GALA extract with figures, small cells suppressed', async () => {
    const { status, body } = await call(
      reporter,
      'GET',
      `${platform.urls.reporting}/extracts/gala?municipality=GM9999&period=${year}`,
    );
    expect(status).toBe(200);
    const cells = (body.tables as { rows: { count: { value: number | null } }[] }[]).flatMap((t) =>
      t.rows.map((r) => r.count.value),
    );
    expect(cells.filter((v) => v !== null && v >= 10).length).toBeGreaterThan(5);
    expect(cells.some((v) => v === null)).toBe(true);
  });

  it("fills the coordinator's queue with a mix, some overdue", async () => {
    const { body } = await call(coordinator, 'GET', `${platform.urls.referral}/work-queues/organisation?size=100`);
    const items = body.items as { status: string; overdue: boolean; coachId: string | null }[];
    expect(new Set(items.map((i) => i.status))).toEqual(new Set(['requested', 'accepted', 'in-progress', 'on-hold']));
    expect(items.some((i) => i.overdue)).toBe(true);
    expect(new Set(items.map((i) => i.coachId).filter(Boolean)).size).toBe(3);
  });

  it('keeps the second municipality apart, its few referrals suppressed', async () => {
    expect((await thermometer(reporter, 'GM9998')).status).toBe(403);
    const heelwijk = { sub: 'gemeente-heelwijk', roles: ['reporting-consumer' as const], municipality: 'GM9998' };
    const { body } = await thermometer(heelwijk, 'GM9998');
    expect((body.referrals as { count: number | null }).count).toBeNull();
  });

  it("shows the welfare organisation's coach capacity for this month (planned, committed by the open referrals)", async () => {
    const gp = { sub: 'gp-system-beterschap', roles: ['gp-system' as const], org: 'huisarts-beterschap' };
    const { status, body } = await call(
      gp,
      'GET',
      `${platform.urls.referral}/capacity/organisations/welzijn-beterstad`,
    );
    expect(status).toBe(200);
    expect(['capacity', 'waitlist', 'no-capacity']).toContain(body.status);
    expect(body.hours).toMatchObject({ available: 120 });
    expect(body.openReferrals).toBeGreaterThan(0);
  });

  it('has a stale entry and one at capacity on the social map', async () => {
    const keyUser = {
      sub: 'keyuser-beterstad',
      roles: ['key-user' as const],
      municipality: 'GM9999',
      municipalAccount: true,
    };
    const stale = await call(keyUser, 'GET', `${platform.urls['social-map']}/stale-services`);
    expect((stale.body.contents as { name: string }[]).map((s) => s.name)).toEqual(['Zingevingsgesprekken']);
    const all = await call(keyUser, 'GET', `${platform.urls['social-map']}/services?municipality=GM9999&per_page=50`);
    expect((all.body.contents as unknown[]).length).toBe(12);
  });

  it('loads only once', async () => {
    const before = (await thermometer()).body.referrals;
    await loadDemo('rich', platform.urls, createDemoClock(), () => undefined);
    expect((await thermometer()).body.referrals).toEqual(before);
  });
});
