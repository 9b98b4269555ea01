// The relay's mapping for every stream of the social map, chosen by the stream's aggregate.
import type { IntegrationEvent } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { keyUserIntegrationEvents } from './key-users/integration-events';
import { organizationIntegrationEvents } from './organizations/integration-events';
import { serviceIntegrationEvents } from './services/integration-events';

export const socialMapIntegrationEvents = (pseudonymSecret: string) => {
  const keyUsers = keyUserIntegrationEvents(pseudonymSecret);
  return (recorded: RecordedEvent): IntegrationEvent[] => {
    if (recorded.streamId.startsWith('service-')) return serviceIntegrationEvents(recorded);
    if (recorded.streamId.startsWith('organization-')) return organizationIntegrationEvents(recorded);
    if (recorded.streamId.startsWith('key-users-')) return keyUsers(recorded);
    return [];
  };
};
