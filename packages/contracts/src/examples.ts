// Example integration events, valid against their schemas: for consumers' tests and documentation.
import { randomUUID } from 'node:crypto';
import type { ReferralRequestedV1 } from './events/referral';

export const exampleReferralRequested = (
  overrides: { municipality?: string; requestedAt?: string; subjectId?: string } = {},
): ReferralRequestedV1 => {
  const requestedAt = overrides.requestedAt ?? '2026-11-23T10:00:00.000Z';
  return {
    eventId: randomUUID(),
    type: 'ReferralRequested',
    schemaVersion: 1,
    occurredAt: requestedAt,
    producer: 'referral',
    municipality: overrides.municipality ?? 'GM9999',
    subjectId: overrides.subjectId ?? `sub_${'a'.repeat(32)}`,
    data: {
      referralId: randomUUID(),
      consentId: randomUUID(),
      practiceId: 'huisarts-beterschap',
      recipientOrganisationId: 'welzijn-beterstad',
      referrerRole: 'huisarts',
      reasons: ['eenzaamheid'],
      ageBand: '65-74',
      sex: 'female',
      requestedAt,
    },
  };
};
