// One specification of the thin slice, run against both ways of running the platform.
import { eventually } from '@wor/test-support';
import type { RunningPlatform } from '../in-process';
import { SERVICES } from '../services';
import { countRows, dropSchemas, giveConsent, gp, http, keyUser, referralBody, referralCount, submitReferral } from './thin-slice';

export const thinSliceSpec = (setup: () => Promise<{ platform: RunningPlatform; databaseUrl: string; prefix: string }>) => {
  let platform: RunningPlatform;
  let databaseUrl: string;
  let prefix: string;

  beforeAll(async () => {
    ({ platform, databaseUrl, prefix } = await setup());
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await dropSchemas(databaseUrl, SERVICES.map((s) => prefix + s.schema));
  }, 60_000);

  it('counts a consented referral in reporting, through the integration events', async () => {
    const urls = platform.urls;
    const before = await referralCount(urls);
    const consentId = await giveConsent(urls, '111222333');

    const referral = await submitReferral(urls, consentId, '111222333');
    expect(referral.status).toBe(201);
    expect(referral.body).toMatchObject({ status: 'requested', recipientOrganisationId: 'welzijn-e2e' });

    await eventually(async () => ((await referralCount(urls)) === before + 1 ? true : undefined), 30_000, 'the referral count');
  });

  it('refuses a referral without a consent for that recipient, with problem+json, and stores nothing', async () => {
    const urls = platform.urls;
    const consentId = await giveConsent(urls, '444555666');
    await submitReferral(urls, consentId, '444555666'); // consent known now
    const referralEvents = `"${prefix}referral".events WHERE stream_id LIKE 'referral-%'`;
    const deniedAccesses = `"${prefix}referral".events WHERE type = 'AccessLogged' AND data->>'outcome' = 'denied'`;
    const eventsBefore = await countRows(databaseUrl, referralEvents);
    const deniedBefore = await countRows(databaseUrl, deniedAccesses);

    const otherRecipient = { ...referralBody(consentId, '444555666'), recipientOrganisationId: 'welzijn-elders' };
    const refused = await http(gp, 'POST', `${urls.referral}/referrals`, otherRecipient);
    expect(refused.status).toBe(403);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toMatch(/does not cover recipient welzijn-elders/);

    const otherPatient = await http(gp, 'POST', `${urls.referral}/referrals`, referralBody(consentId, '777888999'));
    expect(otherPatient.status).toBe(403);
    expect(otherPatient.body.detail).toMatch(/another patient/);

    expect(await countRows(databaseUrl, referralEvents)).toBe(eventsBefore);
    // Each refusal is an access-log entry (NEN 7513 logs denied accesses too).
    expect(await countRows(databaseUrl, deniedAccesses)).toBe(deniedBefore + 2);
  });

  it('refuses referrals once the consent is withdrawn', async () => {
    const urls = platform.urls;
    const consentId = await giveConsent(urls, '121212121');
    await submitReferral(urls, consentId, '121212121');
    const withdrawn = await http(gp, 'POST', `${urls.consent}/consents/${consentId}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');

    const refused = await eventually(async () => {
      const r = await http(gp, 'POST', `${urls.referral}/referrals`, referralBody(consentId, '121212121'));
      return r.status === 403 ? r : undefined;
    }, 30_000, 'the withdrawal to reach the referral service');
    expect(refused.body.detail).toMatch(/withdrawn/);
  });

  it('rejects invalid input with 422 field paths and stores nothing', async () => {
    const urls = platform.urls;
    const eventsBefore = await countRows(databaseUrl, `"${prefix}referral".events`);
    const bad = await http(gp, 'POST', `${urls.referral}/referrals`, { ...referralBody('not-a-uuid', '123'), reasons: [] });
    expect(bad.status).toBe(422);
    expect(bad.contentType).toMatch(/^application\/problem\+json/);
    const paths = (bad.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['consentId', 'patient.bsn', 'reasons']));
    expect(await countRows(databaseUrl, `"${prefix}referral".events`)).toBe(eventsBefore);
  });

  it('serves the social map from its own store', async () => {
    const urls = platform.urls;
    const organization = await http(keyUser, 'POST', `${urls['social-map']}/organizations`, { name: 'Muziekvereniging De Lijster' });
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
    expect(list.body.contents).toEqual([expect.objectContaining({ id: published.body.id, name: 'Buurtkoor De Lijster' })]);
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
