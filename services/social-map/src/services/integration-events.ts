import type {
  CapacityChangedV1,
  IntegrationEvent,
  ServicePublishedV1,
  ServiceRetiredV1,
  ServiceUpdatedV1,
} from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';
import { upcastServiceEvent, type StoredServiceEvent } from './upcast';

// The chain learns which services exist, their categories, capacity and retirement; names beyond
// the published one, descriptions and contact data stay on the map (HSDS API).
export const serviceIntegrationEvents = (recorded: RecordedEvent): IntegrationEvent[] => {
  const event = upcastServiceEvent(recorded as unknown as StoredServiceEvent);
  const source = recorded;
  const envelope = { schemaVersion: 1 as const, municipality: event.data.municipality, subjectId: null };
  switch (event.type) {
    case 'ServicePublished': {
      const { entry } = event.data;
      return [
        deriveIntegrationEvent<ServicePublishedV1>(source, 'social-map', {
          ...envelope,
          type: 'ServicePublished',
          data: {
            serviceId: entry.id,
            organizationId: entry.organization_id,
            name: entry.name,
            dimensions: entry.dimensions,
            publishedAt: event.data.publishedAt,
          },
        }),
      ];
    }
    case 'ServiceUpdated': {
      const { entry } = event.data;
      return [
        deriveIntegrationEvent<ServiceUpdatedV1>(source, 'social-map', {
          ...envelope,
          type: 'ServiceUpdated',
          data: {
            serviceId: entry.id,
            organizationId: entry.organization_id,
            status: entry.status,
            dimensions: entry.dimensions,
            referralReasons: entry.referral_reasons,
            updatedAt: event.data.updatedAt,
          },
        }),
      ];
    }
    case 'CapacityChanged':
      return [
        deriveIntegrationEvent<CapacityChangedV1>(source, 'social-map', {
          ...envelope,
          type: 'CapacityChanged',
          data: { serviceId: event.data.serviceId, availability: event.data.capacity, changedAt: event.data.changedAt },
        }),
      ];
    case 'ServiceRetired':
      return [
        deriveIntegrationEvent<ServiceRetiredV1>(source, 'social-map', {
          ...envelope,
          type: 'ServiceRetired',
          data: { serviceId: event.data.serviceId, retiredAt: event.data.retiredAt },
        }),
      ];
    case 'ServiceReviewed':
      return []; // bookkeeping of the map itself
    default: {
      const _exhaustive: never = event;
      return [];
    }
  }
};
