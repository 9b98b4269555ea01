// Tells every service to erase what it holds of the subject (their own subject keys).
import type { IntegrationEvent, SubjectErasedV1 } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';
import type { SubjectEvent } from './subject';

export const subjectIntegrationEvents = (recorded: RecordedEvent): IntegrationEvent[] => {
  const event = recorded as RecordedEvent<SubjectEvent>;
  switch (event.type) {
    case 'SubjectErased':
      return [
        deriveIntegrationEvent<SubjectErasedV1>(event, 'consent', {
          type: 'SubjectErased',
          schemaVersion: 1,
          municipality: null,
          subjectId: event.data.subjectId,
          data: { erasedAt: event.data.erasedAt },
        }),
      ];
    default: {
      const _exhaustive: never = event.type;
      return [];
    }
  }
};
