// Example integration events, valid against their schemas: for consumers' tests and documentation.
import { randomUUID } from 'node:crypto';
import type { CapacityPlannedV1, ReferralRequestedV1 } from './events/referral';

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

export const exampleCapacityPlanned = (
  overrides: { organisationId?: string; month?: string; coachHours?: number; plannedAt?: string } = {},
): CapacityPlannedV1 => {
  const plannedAt = overrides.plannedAt ?? '2026-11-02T09:00:00.000Z';
  return {
    eventId: randomUUID(),
    type: 'CapacityPlanned',
    schemaVersion: 1,
    occurredAt: plannedAt,
    producer: 'referral',
    municipality: null,
    subjectId: null,
    data: {
      organisationId: overrides.organisationId ?? 'welzijn-beterstad',
      month: overrides.month ?? '2026-11',
      coachHours: overrides.coachHours ?? 50,
      expectedHoursPerReferral: 8.5,
      plannedAt,
    },
  };
};
