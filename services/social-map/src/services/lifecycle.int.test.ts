// A service's life seen from the chain: the events the relay publishes (and what they leave out),
// its history on the map, retirement, and the statistics the key-users see.
import { randomUUID } from 'node:crypto';
import { parseIntegrationEvent, Topics, type ActivityLinkedV1 } from '@wor/contracts';
import { eventually } from '@wor/test-support';
import { coach, colleague, municipal, organizationBody, serviceBody } from '../testing/fixtures';
import { startHarness, type Harness } from '../testing/harness';

describe('service lifecycle through the relay (real PostgreSQL, in-process transport)', () => {
  let h: Harness;
  let organizationId: string;
  let serviceId: string;
  const body = () => serviceBody(organizationId, { id: serviceId });

  beforeAll(async () => {
    h = await startHarness();
    h.setNow(new Date('2026-11-20T10:00:00Z'));
    organizationId = (await h.call(municipal, 'POST', '/organizations', organizationBody())).body.id;
    serviceId = randomUUID();
    expect((await h.call(municipal, 'POST', '/services', body())).status).toBe(201);
  });
  afterAll(() => h.close());

  const published = (type: string) => eventually(async () => h.published.find((e) => e.type === type), 10_000, type);

  it('publishes ServicePublished in the shape the referral service consumes, and OrganizationRegistered', async () => {
    const event = await published('ServicePublished');
    expect(parseIntegrationEvent(event)).toMatchObject({ ok: true });
    expect(event).toMatchObject({
      producer: 'social-map',
      municipality: 'GM9999',
      subjectId: null,
      data: {
        serviceId,
        organizationId,
        name: 'Wandelgroep De Blijebuurt',
        dimensions: ['lichaamsfuncties', 'meedoen'],
      },
    });
    expect(await published('OrganizationRegistered')).toMatchObject({ data: { organizationId } });
  });

  it('updates and capacity changes reach the chain; a retired service emits ServiceRetired and leaves search', async () => {
    const changed = { ...body(), description: 'Nu ook op donderdag.', referral_reasons: ['eenzaamheid'] };
    expect((await h.call(municipal, 'PUT', `/services/${serviceId}`, changed)).body.changed).toEqual([
      'ServiceUpdated',
    ]);
    expect(
      (await h.call(municipal, 'POST', `/services/${serviceId}/capacity`, { capacity_status: 'full' })).status,
    ).toBe(200);
    const retire = await h.call(municipal, 'POST', `/services/${serviceId}/retire`);
    expect(retire.status).toBe(200);

    expect(await published('ServiceUpdated')).toMatchObject({
      data: { serviceId, organizationId, status: 'active', referralReasons: ['eenzaamheid'] },
    });
    expect(await published('CapacityChanged')).toMatchObject({ data: { serviceId, availability: 'full' } });
    const retired = await published('ServiceRetired');
    expect(parseIntegrationEvent(retired)).toMatchObject({ ok: true });
    expect(retired).toMatchObject({
      municipality: 'GM9999',
      data: { serviceId, retiredAt: '2026-11-20T10:00:00.000Z' },
    });

    const search = await h.call(coach, 'GET', '/services?municipality=GM9999');
    expect(search.body.total_items).toBe(0);
    expect((await h.call(coach, 'GET', `/services/${serviceId}`)).body.status).toBe('defunct');
    // a retired service is history: no more changes
    expect((await h.call(municipal, 'POST', `/services/${serviceId}/review`)).status).toBe(409);
  });

  it('puts no contact data, descriptions or key-user account ids on the topic', async () => {
    await h.call(municipal, 'POST', '/key-users', { key_user_id: colleague.sub });
    const appointed = await published('KeyUserAppointed');
    expect(appointed.subjectId).toMatch(/^sub_[0-9a-f]{32}$/);
    const all = JSON.stringify(h.published);
    for (const secret of [
      'wandelen@welzijnbeterstad.example',
      '0301234568',
      '0301234569',
      'info@welzijnbeterstad.example',
      'dinsdagochtend',
      'donderdag',
      'ku-beterstad',
      'ku-collega',
      'Welzijn Beterstad',
    ])
      expect(all).not.toContain(secret);
    for (const event of h.published) expect(parseIntegrationEvent(event)).toMatchObject({ ok: true });
  });

  it('shows the history of an entry with who changed it and when', async () => {
    const history = await h.call(municipal, 'GET', `/services/${serviceId}/history`);
    expect(history.status).toBe(200);
    expect(history.body.history.map((l: { type: string; by: string; at: string }) => [l.type, l.by, l.at])).toEqual([
      ['ServicePublished', 'ku-beterstad', '2026-11-20T10:00:00.000Z'],
      ['ServiceUpdated', 'ku-beterstad', '2026-11-20T10:00:00.000Z'],
      ['CapacityChanged', 'ku-beterstad', '2026-11-20T10:00:00.000Z'],
      ['ServiceRetired', 'ku-beterstad', '2026-11-20T10:00:00.000Z'],
    ]);
    const organizationHistory = await h.call(municipal, 'GET', `/organizations/${organizationId}/history`);
    expect(organizationHistory.body.history.map((l: { type: string }) => l.type)).toEqual(['OrganizationRegistered']);
  });

  it('counts views by coaches and links to referrals (ActivityLinked, once per event) per month', async () => {
    const other = (await h.call(municipal, 'POST', '/services', serviceBody(organizationId, { name: 'Koffieochtend' })))
      .body.id as string;
    await h.call(coach, 'GET', `/services/${other}`);
    await h.call(coach, 'GET', `/services/${other}`);
    await h.call(municipal, 'GET', `/services/${other}`); // the key-user's own look is not a consultation

    const referralId = randomUUID();
    const linked: ActivityLinkedV1 = {
      eventId: randomUUID(),
      type: 'ActivityLinked',
      schemaVersion: 1,
      occurredAt: '2026-11-20T11:00:00.000Z',
      producer: 'referral',
      municipality: 'GM9999',
      subjectId: null,
      data: { referralId, serviceId: other, linkedAt: '2026-11-20T11:00:00.000Z' },
    };
    const message = { key: referralId, value: JSON.stringify(linked) };
    await h.transport.publish(`${h.prefix}${Topics.referral}`, [message, message]); // redelivered: counted once

    const stats = await eventually(
      async () => {
        const response = await h.call(municipal, 'GET', '/statistics?from=2026-11&to=2026-11');
        const entry = response.body.entries?.find((e: { service_id: string }) => e.service_id === other);
        return entry?.referral_links === 1 ? response.body : undefined;
      },
      10_000,
      'the link to be counted',
    );
    expect(stats.entries).toEqual(
      expect.arrayContaining([
        { service_id: other, name: 'Koffieochtend', views: 2, referral_links: 1 },
        { service_id: serviceId, name: 'Wandelgroep De Blijebuurt', views: 1, referral_links: 0 }, // the coach's look after retirement
      ]),
    );
    expect(
      (await h.call(municipal, 'GET', '/statistics?from=2026-12&to=2026-12')).body.entries.every(
        (e: { views: number }) => e.views === 0,
      ),
    ).toBe(true);
    expect((await h.call(coach, 'GET', '/statistics?from=2026-11&to=2026-11')).status).toBe(403);
  });
});
