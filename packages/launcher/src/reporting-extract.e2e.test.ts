// End to end for reporting: referrals submitted to the referral service reach reporting through
// Kafka, and the GALA extract counts them; the CLI command regenerates the API's extract byte for
// byte as of the same log position. Every service its own process, real Kafka and PostgreSQL.
import { createDevIssuer } from '@wor/service-kit';
import { bsnSequence, eventually } from '@wor/test-support';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunningPlatform } from './in-process';
import { startDistributedPlatform, type DistributedPlatform } from './testing/distributed';
import { giveConsent, http, reportingConsumer, submitReferral } from './testing/thin-slice';

jest.setTimeout(180_000);

const REPO_ROOT = join(__dirname, '..', '..', '..');

describe('reporting extract from referrals, one process per service, through Kafka', () => {
  let distributed: DistributedPlatform;
  let platform: RunningPlatform;

  beforeAll(async () => {
    distributed = await startDistributedPlatform('e2erep');
    platform = distributed.platform;
  }, 120_000);

  afterAll(() => distributed?.stop(), 60_000);

  it('counts ten submitted referrals in the extract of their year, and the CLI reproduces it', async () => {
    const urls = platform.urls;
    const list = await http(reportingConsumer, 'PUT', `${urls.reporting}/practices/huisarts-e2e/list-size`, {
      municipality: 'GM0001',
      registeredPatients: 2000,
    });
    expect(list.status).toBe(200);

    const nextBsn = bsnSequence(100_000_000);
    for (let i = 0; i < 10; i++) {
      const bsn = nextBsn();
      const consentId = await giveConsent(urls, bsn);
      expect((await submitReferral(urls, consentId, bsn)).status).toBe(201);
    }

    // The referral service stamps requests with its clock; reporting's periods are Amsterdam dates.
    const year = Number(
      new Intl.DateTimeFormat('en', { timeZone: 'Europe/Amsterdam', year: 'numeric' }).format(new Date()),
    );
    const extract = await eventually(
      async () => {
        const response = await http(
          reportingConsumer,
          'GET',
          `${urls.reporting}/extracts/gala?municipality=GM0001&period=${year}`,
        );
        expect(response.status).toBe(200);
        const practices = (
          response.body.practices as { rows: { practiceId: string; referrals: { value: number | null } }[] }
        ).rows;
        return practices.find((p) => p.practiceId === 'huisarts-e2e')?.referrals.value === 10
          ? response.body
          : undefined;
      },
      60_000,
      'ten referrals in the extract',
    );

    const tables = extract.tables as {
      id: string;
      total: { value: number };
      rows: { category: string; count: { value: number | null } }[];
    }[];
    const role = tables.find((t) => t.id === 'referrals-by-referrer-role')!;
    expect(role.total.value).toBe(10);
    expect(role.rows.find((r) => r.category === 'poh-ggz')?.count.value).toBe(10);
    expect(
      tables.find((t) => t.id === 'referrals-by-reason')!.rows.find((r) => r.category === 'rouw')?.count.value,
    ).toBe(10);

    const asOf = (extract.asOf as { position: number }).position;
    const viaApi = await fetch(
      `${urls.reporting}/extracts/gala?municipality=GM0001&period=${year}&format=csv&asOf=${asOf}`,
      {
        headers: { authorization: `Bearer ${await createDevIssuer().sign(reportingConsumer)}` },
      },
    ).then((r) => r.text());
    const viaCli = await promisify(execFile)(
      'npm',
      [
        'run',
        '-s',
        'extract',
        '-w',
        '@wor/reporting-service',
        '--',
        '--municipality',
        'GM0001',
        '--period',
        String(year),
        '--format',
        'csv',
        '--as-of',
        String(asOf),
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: distributed.databaseUrl, DB_SCHEMA: `${distributed.prefix}reporting` },
      },
    );
    expect(viaCli.stdout).toBe(viaApi);
    expect(viaApi).toContain('table,referrals-by-practice,huisarts-e2e,count,10,\r\n');
  });
});
