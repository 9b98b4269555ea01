// End to end on the real broker: a key-user retires a service and the chain receives ServiceRetired
// on wor.social-map.events (the referral service's refusal to link it is that service's own test).
import { randomUUID } from 'node:crypto';
import { parseIntegrationEvent } from '@wor/contracts';
import { eventually } from '@wor/test-support';
import { municipal, organizationBody, serviceBody } from '../testing/fixtures';
import { startHarness, type Harness } from '../testing/harness';

describe('retiring a service, through Kafka (real PostgreSQL and Kafka)', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({ kafka: true })), 60_000);
  afterAll(() => h?.close(), 60_000);

  it('publishes ServicePublished, then ServiceRetired, in order', async () => {
    const organizationId = (await h.call(municipal, 'POST', '/organizations', organizationBody())).body.id as string;
    const serviceId = randomUUID();
    expect((await h.call(municipal, 'POST', '/services', serviceBody(organizationId, { id: serviceId }))).status).toBe(
      201,
    );
    expect((await h.call(municipal, 'POST', `/services/${serviceId}/retire`)).status).toBe(200);

    const retired = await eventually(
      async () => h.published.find((e) => e.type === 'ServiceRetired'),
      30_000,
      'ServiceRetired from Kafka',
    );
    expect(parseIntegrationEvent(retired)).toMatchObject({ ok: true });
    expect(retired).toMatchObject({ producer: 'social-map', municipality: 'GM9999', data: { serviceId } });
    const types = h.published.filter((e) => 'serviceId' in e.data && e.data.serviceId === serviceId).map((e) => e.type);
    expect(types).toEqual(['ServicePublished', 'ServiceRetired']);
  }, 60_000);
});
