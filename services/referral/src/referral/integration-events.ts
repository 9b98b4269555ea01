// The referral service's PII filter toward Kafka: the sealed patient data never leaves this service.
import type { IntegrationEvent, ReferralRequestedV1 } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';
import type { ReferralEvent } from './referral';

export const toIntegrationEvents = (recorded: RecordedEvent): IntegrationEvent[] => {
  const event = recorded as RecordedEvent<ReferralEvent>;
  switch (event.type) {
    case 'ReferralRequested': {
      const { data } = event;
      return [
        deriveIntegrationEvent<ReferralRequestedV1>(event, 'referral', {
          type: 'ReferralRequested',
          schemaVersion: 1,
          municipality: data.municipality,
          subjectId: data.subjectId,
          data: {
            referralId: data.referralId,
            consentId: data.consentId,
            practiceId: data.practiceId,
            recipientOrganisationId: data.recipientOrganisationId,
            referrerRole: data.referrerRole,
            reasons: data.reasons,
            ageBand: data.ageBand,
            sex: data.sex,
            requestedAt: data.requestedAt,
          },
        }),
      ];
    }
    default: {
      const _exhaustive: never = event.type;
      return [];
    }
  }
};
