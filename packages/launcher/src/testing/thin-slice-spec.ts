// One specification of the thin slice, run against both ways of running the platform.
import { eventually } from '@wor/test-support';
import { Client } from 'pg';
import type { RunningPlatform } from '../in-process';
import { SERVICES } from '../services';
import {
  countRows,
  dropSchemas,
  ensureAgreement,
  giveConsent,
  gp,
  http,
  keyUser,
  privacyOfficer,
  referralBody,
  referralCount,
  submitReferral,
  type Caller,
} from './thin-slice';

export const thinSliceSpec = (
  setup: () => Promise<{ platform: RunningPlatform; databaseUrl: string; prefix: string }>,
) => {
  let platform: RunningPlatform;
  let databaseUrl: string;
  let prefix: string;

  beforeAll(async () => {
    ({ platform, databaseUrl, prefix } = await setup());
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await dropSchemas(
      databaseUrl,
      SERVICES.map((s) => prefix + s.schema),
    );
  }, 60_000);

  it('counts a consented referral in reporting, through the integration events', async () => {
    const urls = platform.urls;
    const before = await referralCount(urls);
    const consentId = await giveConsent(urls, '111222333');

    const referral = await submitReferral(urls, consentId, '111222333');
    expect(referral.status).toBe(201);
    expect(referral.body).toMatchObject({ status: 'requested', recipientOrganisationId: 'welzijn-e2e' });

    await eventually(
      async () => ((await referralCount(urls)) === before + 1 ? true : undefined),
      30_000,
      'the referral count',
    );
  });

  it('refuses a referral without a consent for that recipient, with problem+json, and stores nothing', async () => {
    const urls = platform.urls;
    const consentId = await giveConsent(urls, '444555663');
    await submitReferral(urls, consentId, '444555663'); // consent known now
    const referralEvents = `"${prefix}referral".events WHERE stream_id LIKE 'referral-%'`;
    const deniedAccesses = `"${prefix}referral".events WHERE type = 'AccessLogged' AND data->>'outcome' = 'denied'`;
    const eventsBefore = await countRows(databaseUrl, referralEvents);
    const deniedBefore = await countRows(databaseUrl, deniedAccesses);

    const otherRecipient = { ...referralBody(consentId, '444555663'), recipientOrganisationId: 'welzijn-elders' };
    const refused = await http(gp, 'POST', `${urls.referral}/referrals`, otherRecipient);
    expect(refused.status).toBe(403);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toMatch(/does not cover recipient welzijn-elders/);

    const otherPatient = await http(gp, 'POST', `${urls.referral}/referrals`, referralBody(consentId, '777888993'));
    expect(otherPatient.status).toBe(403);
    expect(otherPatient.body.detail).toMatch(/another patient/);

    expect(await countRows(databaseUrl, referralEvents)).toBe(eventsBefore);
    // Each refusal is an access-log entry (NEN 7513 logs denied accesses too).
    expect(await countRows(databaseUrl, deniedAccesses)).toBe(deniedBefore + 2);
  });

  it('refuses referrals once the consent is withdrawn', async () => {
    const urls = platform.urls;
    const consentId = await giveConsent(urls, '121212129');
    await submitReferral(urls, consentId, '121212129');
    const withdrawn = await http(gp, 'POST', `${urls.consent}/consents/${consentId}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');

    const refused = await eventually(
      async () => {
        const r = await http(gp, 'POST', `${urls.referral}/referrals`, referralBody(consentId, '121212129'));
        return r.status === 403 ? r : undefined;
      },
      30_000,
      'the withdrawal to reach the referral service',
    );
    expect(refused.body.detail).toMatch(/withdrawn/);
  });

  it('after a withdrawal the coach can no longer open the patient’s personal data; the denial is in the access log', async () => {
    const urls = platform.urls;
    // Need-to-know: before a coach is assigned, the organisation's coordinator is who may open the details.
    const coach: Caller = { sub: 'coordinator-e2e', roles: ['coordinator'], org: 'welzijn-e2e' };
    await ensureAgreement(urls);
    // The coach opens contact details for coaching: the consent must name that purpose too.
    const given = await http(gp, 'POST', `${urls.consent}/consents`, {
      patient: { bsn: '131313137' },
      recipientOrganisationId: 'welzijn-e2e',
      purposes: ['wor-referral', 'wor-coaching'],
      dataCategories: ['contact-details', 'referral-reason'],
      evidence: { method: 'signed', documentReference: 'doc-2' },
    });
    expect(given.status).toBe(201);
    const consentId = given.body.consentId as string;
    const referral = await submitReferral(urls, consentId, '131313137');
    expect(referral.status).toBe(201);
    const referralId = referral.body.referralId as string;
    const opened = await http(coach, 'GET', `${urls.referral}/referrals/${referralId}/personal-details`);
    expect({ status: opened.status, detail: opened.body.detail }).toEqual({ status: 200, detail: undefined });

    expect((await http(gp, 'POST', `${urls.consent}/consents/${consentId}/withdraw`)).status).toBe(200);
    const refused = await eventually(
      async () => {
        const r = await http(coach, 'GET', `${urls.referral}/referrals/${referralId}/personal-details`);
        return r.status === 403 ? r : undefined;
      },
      30_000,
      'the withdrawal to reach the referral service',
    );
    expect(refused.body.detail).toMatch(/withdrawn/);
    expect(JSON.stringify(refused.body)).not.toContain('Testpersoon');

    // The referral service logs the denial (NEN 7513); the consent service keeps it in its access log.
    const denial = await eventually(
      async () => {
        const log = await http(privacyOfficer, 'POST', `${urls.consent}/access-log/search`, {
          patient: { bsn: '131313137' },
          outcome: 'denied',
          userId: 'coordinator-e2e',
        });
        return (log.body.items as { resource: { id: string } }[]).find((e) => e.resource.id === referralId);
      },
      30_000,
      'the denial in the access log',
    );
    expect(denial).toMatchObject({
      userId: 'coordinator-e2e',
      organisationId: 'welzijn-e2e',
      outcome: 'denied',
      checks: { consent: false },
      reason: expect.stringMatching(/withdrawn/),
    });
    expect((await http(privacyOfficer, 'GET', `${urls.consent}/access-log/verify`)).body).toMatchObject({
      intact: true,
    });
  });

  it('erases a patient across services: their keys are gone and nothing personal is left in any schema', async () => {
    const urls = platform.urls;
    const bsn = '141414145';
    const consentId = await giveConsent(urls, bsn);
    const referral = await submitReferral(urls, consentId, bsn);
    expect(referral.status).toBe(201);
    const subjectId = (await http(gp, 'GET', `${urls.consent}/consents/${consentId}`)).body.subjectId as string;
    const subjectKeys = (schema: string) =>
      countRows(databaseUrl, `"${prefix}${schema}".subject_keys WHERE subject_id = '${subjectId}'`);
    expect(await subjectKeys('referral')).toBe(1);

    const erased = await http(privacyOfficer, 'POST', `${urls.consent}/subject-rights/erasure`, { patient: { bsn } });
    expect(erased.status).toBe(200);
    expect(erased.body.subjectId).toBe(subjectId);
    // SubjectErased reaches the referral service, which destroys its own key for the patient.
    await eventually(
      async () => ((await subjectKeys('referral')) === 0 ? true : undefined),
      30_000,
      'the referral service to erase its key',
    );
    expect(await subjectKeys('consent')).toBe(0);

    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows: tables } = await client.query<{ table_schema: string; table_name: string }>(
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE'`,
        [SERVICES.map((d) => prefix + d.schema)],
      );
      let dump = '';
      for (const t of tables) {
        const { rows } = await client.query<{ row: string }>(
          `SELECT row_to_json(x)::text AS row FROM "${t.table_schema}"."${t.table_name}" x`,
        );
        dump += rows.map((r) => r.row).join('\n');
      }
      for (const personal of [bsn, 'Testpersoon', '0611111111', 'klaas@example.org'])
        expect({ personal, found: dump.includes(personal) }).toEqual({ personal, found: false });
    } finally {
      await client.end();
    }
  });

  it('rejects invalid input with 422 field paths and stores nothing', async () => {
    const urls = platform.urls;
    const eventsBefore = await countRows(databaseUrl, `"${prefix}referral".events`);
    const bad = await http(gp, 'POST', `${urls.referral}/referrals`, {
      ...referralBody('not-a-uuid', '123'),
      reasons: [],
    });
    expect(bad.status).toBe(422);
    expect(bad.contentType).toMatch(/^application\/problem\+json/);
    const paths = (bad.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['consentId', 'patient.bsn', 'reasons']));
    expect(await countRows(databaseUrl, `"${prefix}referral".events`)).toBe(eventsBefore);
  });

  it('serves the social map from its own store', async () => {
    const urls = platform.urls;
    const organization = await http(keyUser, 'POST', `${urls['social-map']}/organizations`, {
      name: 'Muziekvereniging De Lijster',
    });
    expect(organization.status).toBe(201);
    const published = await http(keyUser, 'POST', `${urls['social-map']}/services`, {
      organization_id: organization.body.id,
      name: 'Buurtkoor De Lijster',
      description: 'Samen zingen op woensdagavond.',
      dimensions: ['meedoen'],
      cost_options: [{ amount: 0 }],
    });
    expect(published.status).toBe(201);
    const list = await http(keyUser, 'GET', `${urls['social-map']}/services?municipality=GM0001&search=koor`);
    expect(list.status).toBe(200);
    expect(list.body.contents).toEqual([
      expect.objectContaining({ id: published.body.id, name: 'Buurtkoor De Lijster' }),
    ]);
  });

  it('reports ready only with its database and broker checked', async () => {
    for (const url of Object.values(platform.urls)) {
      const ready = await http(undefined, 'GET', `${url}/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body.checks).toEqual({ database: true, broker: true });
    }
  });

  it('requires a bearer token', async () => {
    const response = await http(undefined, 'GET', `${platform.urls.reporting}/referral-counts?municipality=GM0001`);
    expect(response.status).toBe(401);
  });
};
