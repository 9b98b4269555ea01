import type { IntegrationEvent, OrganizationRegisteredV1 } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';
import type { OrganizationEvent } from './organization';

// Only that an organisation joined a municipality's map; its public data stays in the HSDS API.
export const organizationIntegrationEvents = (recorded: RecordedEvent): IntegrationEvent[] => {
  const event = recorded as RecordedEvent<OrganizationEvent>;
  switch (event.type) {
    case 'OrganizationRegistered':
      return [
        deriveIntegrationEvent<OrganizationRegisteredV1>(event, 'social-map', {
          type: 'OrganizationRegistered',
          schemaVersion: 1,
          municipality: event.data.municipality,
          subjectId: null,
          data: { organizationId: event.data.organizationId, registeredAt: event.data.registeredAt },
        }),
      ];
    case 'OrganizationUpdated':
    case 'LocationRegistered':
    case 'LocationUpdated':
      return [];
    default: {
      const _exhaustive: never = event;
      return [];
    }
  }
};
