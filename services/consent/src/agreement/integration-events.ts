// What other services learn of agreements: that sharing became lawful between parties, and when it stopped.
import type { DataSharingAgreementActivatedV1, DataSharingAgreementEndedV1, IntegrationEvent } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';
import type { AgreementEvent } from './agreement';

export const agreementIntegrationEvents = (recorded: RecordedEvent): IntegrationEvent[] => {
  const event = recorded as RecordedEvent<AgreementEvent>;
  const envelope = { schemaVersion: 1 as const, municipality: null, subjectId: null };
  switch (event.type) {
    case 'AgreementDrafted':
      return []; // a draft shares nothing
    case 'AgreementActivated': {
      const { terms, activatedAt } = event.data;
      return [
        deriveIntegrationEvent<DataSharingAgreementActivatedV1>(event, 'consent', {
          ...envelope,
          type: 'DataSharingAgreementActivated',
          data: {
            agreementId: terms.agreementId,
            parties: terms.parties.map((p) => ({ organisationId: p.organisationId, role: p.role })),
            purposes: terms.purposes,
            dataCategories: terms.dataCategories,
            validFrom: terms.validFrom,
            validUntil: terms.validUntil,
            activatedAt,
          },
        }),
      ];
    }
    case 'AgreementTerminated':
    case 'AgreementExpired':
      return [
        deriveIntegrationEvent<DataSharingAgreementEndedV1>(event, 'consent', {
          ...envelope,
          type: 'DataSharingAgreementEnded',
          data: {
            agreementId: event.data.agreementId,
            how: event.type === 'AgreementExpired' ? 'expired' : 'terminated',
            endedAt: event.type === 'AgreementExpired' ? event.data.expiredAt : event.data.terminatedAt,
          },
        }),
      ];
    default: {
      const _exhaustive: never = event;
      return [];
    }
  }
};
