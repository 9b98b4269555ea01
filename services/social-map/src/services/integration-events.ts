import type { IntegrationEvent, ServicePublishedV1 } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';
import type { SocialMapServiceEvent } from './service';

export const toIntegrationEvents = (recorded: RecordedEvent): IntegrationEvent[] => {
  const event = recorded as RecordedEvent<SocialMapServiceEvent>;
  switch (event.type) {
    case 'ServicePublished':
      return [
        deriveIntegrationEvent<ServicePublishedV1>(event, 'social-map', {
          type: 'ServicePublished',
          schemaVersion: 1,
          municipality: event.data.municipality,
          subjectId: null,
          data: {
            serviceId: event.data.serviceId,
            organizationId: event.data.organizationId,
            name: event.data.name,
            dimensions: event.data.dimensions,
            publishedAt: event.data.publishedAt,
          },
        }),
      ];
    default: {
      const _exhaustive: never = event.type;
      return [];
    }
  }
};
