// The consent service's PII filter toward Kafka: what other services may know of a consent.
import type { ConsentGivenV1, ConsentRecordedV1, ConsentWithdrawnV1, IntegrationEvent } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';
import type { ConsentEvent } from './consent';

export const toIntegrationEvents = (recorded: RecordedEvent): IntegrationEvent[] => {
  const event = recorded as RecordedEvent<ConsentEvent>;
  switch (event.type) {
    case 'ConsentRecorded': {
      // The evidence (who recorded it, how, which document) stays in this service.
      const { data } = event;
      return [
        deriveIntegrationEvent<ConsentRecordedV1>(event, 'consent', {
          type: 'ConsentRecorded',
          schemaVersion: 1,
          municipality: null,
          subjectId: data.subjectId,
          data: {
            consentId: data.consentId,
            provision: data.provision,
            recipientOrganisationIds: data.recipientOrganisationIds,
            purposes: data.purposes,
            dataCategories: data.dataCategories,
            validFrom: data.validFrom,
            validUntil: data.validUntil,
          },
        }),
      ];
    }
    case 'ConsentGiven': {
      const { data } = event;
      return [
        deriveIntegrationEvent<ConsentGivenV1>(event, 'consent', {
          type: 'ConsentGiven',
          schemaVersion: 1,
          municipality: null,
          subjectId: data.subjectId,
          data: {
            consentId: data.consentId,
            recipientOrganisationId: data.recipientOrganisationId,
            purposes: data.purposes,
            dataCategories: data.dataCategories,
            validFrom: data.validFrom,
            validUntil: data.validUntil,
          },
        }),
      ];
    }
    case 'ConsentWithdrawn':
      return [
        deriveIntegrationEvent<ConsentWithdrawnV1>(event, 'consent', {
          type: 'ConsentWithdrawn',
          schemaVersion: 1,
          municipality: null,
          subjectId: event.data.subjectId,
          data: { consentId: event.data.consentId, withdrawnAt: event.data.withdrawnAt },
        }),
      ];
    default: {
      const _exhaustive: never = event;
      return [];
    }
  }
};
