import { deciderSpec } from '@wor/test-support';
import { IllegalStateError, NotFoundError } from '@wor/event-store';
import type { ServiceEntry } from '../hsds/input';
import { decide, evolve, initialState, type SocialMapServiceEvent } from './service';
import { upcastServiceEvent } from './upcast';

const spec = deciderSpec({ decide, evolve, initialState });
const now = new Date('2026-11-23T10:00:00.000Z');
const later = new Date('2026-11-24T10:00:00.000Z');
const serviceId = 'c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01';
const entry: ServiceEntry = {
  id: serviceId,
  organization_id: '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11',
  name: 'Wandelgroep De Blijebuurt',
  description: 'Elke dinsdag samen wandelen door de wijk.',
  status: 'active',
  phones: [],
  contacts: [],
  schedules: [
    { id: '0b6f8f8e-3c1a-4f51-9d8e-1f2a3b4c5d6e', freq: 'WEEKLY', byday: 'TU', opens_at: '10:00', closes_at: '11:30' },
  ],
  languages: [{ id: '1b6f8f8e-3c1a-4f51-9d8e-1f2a3b4c5d6e', code: 'nl' }],
  cost_options: [{ id: '2b6f8f8e-3c1a-4f51-9d8e-1f2a3b4c5d6e', currency: 'EUR', amount: 0 }],
  service_at_locations: [],
  wijken: ['de blijebuurt'],
  dimensions: ['lichaamsfuncties', 'meedoen'],
  referral_reasons: ['eenzaamheid'],
};
const published: SocialMapServiceEvent = {
  type: 'ServicePublished',
  data: {
    serviceId,
    municipality: 'GM9999',
    entry,
    capacity: 'available',
    publishedAt: now.toISOString(),
    publishedBy: 'key-user-1',
  },
};
const retired: SocialMapServiceEvent = {
  type: 'ServiceRetired',
  data: { serviceId, municipality: 'GM9999', retiredAt: now.toISOString(), retiredBy: 'key-user-1' },
};
const by = 'key-user-2';

describe('Social-map service', () => {
  it('publishes a new service, recording who and when', () =>
    spec
      .given([])
      .when({
        type: 'PublishService',
        data: { municipality: 'GM9999', entry, capacity: 'available', by: 'key-user-1' },
        metadata: { now },
      })
      .then([published]));

  it('publishes an imported service as last checked on its assured date, not a later one', () => {
    spec
      .given([])
      .when({
        type: 'PublishService',
        data: {
          municipality: 'GM9999',
          entry,
          capacity: 'available',
          by: 'key-user-1',
          assuredAt: '2025-01-01T00:00:00.000Z',
        },
        metadata: { now },
      })
      .then([
        { ...published, data: { ...published.data, assuredAt: '2025-01-01T00:00:00.000Z' } } as SocialMapServiceEvent,
      ]);
    spec
      .given([])
      .when({
        type: 'PublishService',
        data: {
          municipality: 'GM9999',
          entry,
          capacity: 'available',
          by: 'key-user-1',
          assuredAt: '2999-01-01T00:00:00.000Z',
        },
        metadata: { now },
      })
      .then([published]);
    const state = evolve(initialState(), {
      ...published,
      data: { ...published.data, assuredAt: '2025-01-01T00:00:00.000Z' },
    } as SocialMapServiceEvent);
    expect(state.status === 'published' && state.reviewedAt).toBe('2025-01-01T00:00:00.000Z');
  });

  it('refuses to publish a service twice', () =>
    spec
      .given([published])
      .when({
        type: 'PublishService',
        data: { municipality: 'GM9999', entry, capacity: 'available', by },
        metadata: { now },
      })
      .thenThrows((error) => {
        expect(error).toBeInstanceOf(IllegalStateError);
        expect(error.message).toMatch(/already published/);
      }));

  it('records a change of the entry with who and when', () => {
    const changed = { ...entry, description: 'Elke dinsdag en donderdag samen wandelen.' };
    spec
      .given([published])
      .when({ type: 'UpdateService', data: { entry: changed, by }, metadata: { now: later } })
      .then([
        {
          type: 'ServiceUpdated',
          data: { serviceId, municipality: 'GM9999', entry: changed, updatedAt: later.toISOString(), updatedBy: by },
        },
      ]);
  });

  it('saving an unchanged entry is a review (it resets staleness), not an update', () =>
    spec
      .given([published])
      .when({ type: 'UpdateService', data: { entry, by }, metadata: { now: later } })
      .then([
        {
          type: 'ServiceReviewed',
          data: { serviceId, municipality: 'GM9999', reviewedAt: later.toISOString(), reviewedBy: by },
        },
      ]));

  it('changes capacity, and a repeated status changes nothing', () => {
    spec
      .given([published])
      .when({ type: 'ChangeCapacity', data: { serviceId, capacity: 'full', by }, metadata: { now: later } })
      .then([
        {
          type: 'CapacityChanged',
          data: { serviceId, municipality: 'GM9999', capacity: 'full', changedAt: later.toISOString(), changedBy: by },
        },
      ]);
    spec
      .given([published])
      .when({ type: 'ChangeCapacity', data: { serviceId, capacity: 'available', by }, metadata: { now } })
      .then([]);
  });

  it('retires a service once; a retired service cannot change', () => {
    spec
      .given([published])
      .when({ type: 'RetireService', data: { serviceId, by: 'key-user-1' }, metadata: { now } })
      .then([retired]);
    spec
      .given([published, retired])
      .when({ type: 'RetireService', data: { serviceId, by }, metadata: { now } })
      .then([]);
    spec
      .given([published, retired])
      .when({ type: 'UpdateService', data: { entry, by }, metadata: { now } })
      .thenThrows((error) => expect(error).toBeInstanceOf(IllegalStateError));
    spec
      .given([published, retired])
      .when({ type: 'ChangeCapacity', data: { serviceId, capacity: 'full', by }, metadata: { now } })
      .thenThrows((error) => expect(error.message).toMatch(/retired/));
  });

  it('cannot change or retire a service that was never published', () => {
    for (const command of [
      { type: 'ReviewService', data: { serviceId, by }, metadata: { now } },
      { type: 'RetireService', data: { serviceId, by }, metadata: { now } },
      { type: 'UpdateService', data: { entry, by }, metadata: { now } },
    ] as const)
      spec
        .given([])
        .when(command)
        .thenThrows((error) => expect(error).toBeInstanceOf(NotFoundError));
  });

  it('keeps when it was last reviewed: published, updated or confirmed', () => {
    const reviewed: SocialMapServiceEvent = {
      type: 'ServiceReviewed',
      data: { serviceId, municipality: 'GM9999', reviewedAt: later.toISOString(), reviewedBy: by },
    };
    const state = [published, reviewed].reduce(evolve, initialState());
    expect(state).toMatchObject({
      status: 'published',
      reviewedAt: later.toISOString(),
      published: { at: now.toISOString(), by: 'key-user-1' },
    });
  });

  it("reads events of the first slice (flat details) as today's shape", () => {
    const old = {
      type: 'ServicePublished' as const,
      data: {
        serviceId,
        organizationId: entry.organization_id,
        name: entry.name,
        description: entry.description ?? '',
        municipality: 'GM9999',
        districts: ['de blijebuurt'],
        dimensions: ['meedoen'],
        freeOfCharge: true,
        publishedAt: now.toISOString(),
        publishedBy: 'key-user-1',
      },
    };
    const upcast = upcastServiceEvent(old);
    expect(upcast.type === 'ServicePublished' && upcast.data.entry).toMatchObject({
      name: entry.name,
      wijken: ['de blijebuurt'],
      cost_options: [{ amount: 0 }],
    });
    expect(upcastServiceEvent(old)).toEqual(upcast); // stable ids
    expect(evolve(initialState(), old)).toMatchObject({ status: 'published', municipality: 'GM9999' });
  });
});

describe('unchanged entries', () => {
  it('are recognised whatever the key order (entries come back from jsonb reordered)', () => {
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(entry).reverse()))) as ServiceEntry;
    spec
      .given([published])
      .when({ type: 'UpdateService', data: { entry: reordered, by }, metadata: { now: later } })
      .then([
        {
          type: 'ServiceReviewed',
          data: { serviceId, municipality: 'GM9999', reviewedAt: later.toISOString(), reviewedBy: by },
        },
      ]);
  });
});
