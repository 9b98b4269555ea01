import type { IntegrationEvent, KeyUserAppointedV1, KeyUserRevokedV1 } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';
import { pseudonymise } from '@wor/privacy';
import type { KeyUserEvent } from './key-users';

// Key-users are people: on Kafka only as pseudonymous subject ids, the municipality in the envelope.
export const keyUserIntegrationEvents =
  (pseudonymSecret: string) =>
  (recorded: RecordedEvent): IntegrationEvent[] => {
    const event = recorded as RecordedEvent<KeyUserEvent>;
    const subject = (accountId: string) => pseudonymise(accountId, pseudonymSecret);
    switch (event.type) {
      case 'KeyUserAppointed': {
        const keyUserId = subject(event.data.keyUserId);
        return [
          deriveIntegrationEvent<KeyUserAppointedV1>(event, 'social-map', {
            type: 'KeyUserAppointed',
            schemaVersion: 1,
            municipality: event.data.municipality,
            subjectId: keyUserId,
            data: { keyUserId, appointedBy: subject(event.data.appointedBy), appointedAt: event.data.appointedAt },
          }),
        ];
      }
      case 'KeyUserRevoked': {
        const keyUserId = subject(event.data.keyUserId);
        return [
          deriveIntegrationEvent<KeyUserRevokedV1>(event, 'social-map', {
            type: 'KeyUserRevoked',
            schemaVersion: 1,
            municipality: event.data.municipality,
            subjectId: keyUserId,
            data: { keyUserId, revokedBy: subject(event.data.revokedBy), revokedAt: event.data.revokedAt },
          }),
        ];
      }
      default: {
        const _exhaustive: never = event;
        return [];
      }
    }
  };
