import { randomUUID } from 'node:crypto';
import type { IntegrationEvent, ServicePublishedV1, ServiceRetiredV1, ServiceUpdatedV1 } from '@wor/contracts';
import { parseIntegrationEvent, Topics } from '@wor/contracts';
import { createConsumer, createInProcessTransport } from '@wor/messaging';
import { createLogger } from '@wor/service-kit';
import { freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import { migrateReferral } from '../migrations';
import { findService, projectSocialMapEvent } from './social-map-view';

const organizationId = randomUUID();
const envelope = {
  schemaVersion: 1 as const,
  occurredAt: '2026-11-23T10:00:00Z',
  producer: 'social-map' as const,
  municipality: 'GM0363',
  subjectId: null,
};
const published = (serviceId: string, publishedAt = '2026-11-01T09:00:00Z'): ServicePublishedV1 => ({
  ...envelope,
  eventId: randomUUID(),
  type: 'ServicePublished',
  data: { serviceId, organizationId, name: 'Wandelgroep De Pijp', dimensions: ['meedoen'], publishedAt },
});
const updated = (
  serviceId: string,
  status: ServiceUpdatedV1['data']['status'],
  updatedAt: string,
): ServiceUpdatedV1 => ({
  ...envelope,
  eventId: randomUUID(),
  type: 'ServiceUpdated',
  data: { serviceId, organizationId, status, dimensions: [], referralReasons: [], updatedAt },
});
const retired = (serviceId: string): ServiceRetiredV1 => ({
  ...envelope,
  eventId: randomUUID(),
  type: 'ServiceRetired',
  data: { serviceId, retiredAt: '2026-11-20T00:00:00Z' },
});

describe('social-map view (real PostgreSQL)', () => {
  let pool: Pool;
  let schema: string;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ pool, schema, close } = await freshSchemaPool('smv'));
    await migrateReferral(pool, schema);
  });

  afterEach(() => close());

  const project = async (...events: IntegrationEvent[]) => {
    const client = await pool.connect();
    try {
      for (const event of events) {
        // The handler sees what the consumer's parse let through.
        const parsed = parseIntegrationEvent(JSON.parse(JSON.stringify(event)));
        if (!parsed.ok) throw new Error(parsed.reason);
        await projectSocialMapEvent(parsed.event, client);
      }
    } finally {
      client.release();
    }
  };

  it('knows a published service by name, and no longer as active once retired', async () => {
    const serviceId = randomUUID();
    expect(await findService(pool, serviceId)).toBeUndefined();
    await project(published(serviceId));
    expect(await findService(pool, serviceId)).toEqual({ name: 'Wandelgroep De Pijp', active: true });
    await project(retired(serviceId));
    expect(await findService(pool, serviceId)).toEqual({ name: 'Wandelgroep De Pijp', active: false });
  });

  it('keeps a retirement that overtakes its publication: never a retired service that looks active', async () => {
    const serviceId = randomUUID();
    await project(retired(serviceId));
    expect(await findService(pool, serviceId)).toBeUndefined();
    await project(published(serviceId));
    expect(await findService(pool, serviceId)).toEqual({ name: 'Wandelgroep De Pijp', active: false });
    await project(updated(serviceId, 'active', '2026-11-25T00:00:00Z')); // nothing brings a retired service back
    expect((await findService(pool, serviceId))?.active).toBe(false);
  });

  it('follows status updates, the newest one winning whatever order they arrive in', async () => {
    const serviceId = randomUUID();
    await project(updated(serviceId, 'temporarily closed', '2026-11-10T00:00:00Z'), published(serviceId));
    expect(await findService(pool, serviceId)).toEqual({ name: 'Wandelgroep De Pijp', active: false });
    await project(
      updated(serviceId, 'active', '2026-11-15T00:00:00Z'),
      updated(serviceId, 'inactive', '2026-11-12T00:00:00Z'),
    );
    expect(await findService(pool, serviceId)).toEqual({ name: 'Wandelgroep De Pijp', active: true });
  });

  it("ignores other producers' events and ids it cannot know", async () => {
    await project({
      ...envelope,
      producer: 'consent',
      municipality: null,
      eventId: randomUUID(),
      type: 'ConsentWithdrawn',
      subjectId: `sub_${'a'.repeat(32)}`,
      data: { consentId: randomUUID(), withdrawnAt: '2026-11-20T00:00:00Z' },
    } as IntegrationEvent);
    expect(await pool.query('SELECT * FROM social_map_service_view')).toMatchObject({ rowCount: 0 });
    expect(await findService(pool, 'not-a-uuid')).toBeUndefined();
  });

  it("works as the consumer's handler: a redelivered publication after the retirement changes nothing", async () => {
    const transport = createInProcessTransport({ retryBaseMs: 1 });
    const consumer = createConsumer({
      name: 'referral.social-map-view',
      topics: [Topics.socialMap],
      transport,
      pool,
      schema,
      parse: parseIntegrationEvent,
      handle: projectSocialMapEvent,
      logger: createLogger('social-map-view-test', { level: 'silent' }),
    });
    await consumer.start();
    try {
      const serviceId = randomUUID();
      const publication = JSON.stringify(published(serviceId));
      // The in-process transport resolves publish once the consumer has handled the messages.
      await transport.publish(Topics.socialMap, [{ key: serviceId, value: publication }]);
      expect(await findService(pool, serviceId)).toEqual({ name: 'Wandelgroep De Pijp', active: true });
      await transport.publish(Topics.socialMap, [
        { key: serviceId, value: JSON.stringify(retired(serviceId)) },
        { key: serviceId, value: publication },
      ]);
      expect(await findService(pool, serviceId)).toEqual({ name: 'Wandelgroep De Pijp', active: false });
    } finally {
      await consumer.stop();
      await transport.close();
    }
  });
});
