// An AccessLogged event as the referral service's relay publishes it: a coach reading a patient's
// contact details, allowed; any field can be set.
import { randomUUID } from 'node:crypto';
import type { AccessLoggedV1 } from '@wor/contracts';

export const accessLogged = (
  over: Partial<AccessLoggedV1['data']> & { subjectId: string; accessedAt: string },
): AccessLoggedV1 => {
  const { subjectId, ...data } = over;
  return {
    eventId: randomUUID(),
    type: 'AccessLogged',
    schemaVersion: 1,
    occurredAt: data.accessedAt,
    producer: 'referral',
    municipality: null,
    subjectId,
    data: {
      action: 'R',
      userId: 'coach-anna',
      onBehalfOf: null,
      role: 'coach',
      organisationId: 'welzijn-beterstad',
      purpose: 'wor-coaching',
      dataCategories: ['contact-details'],
      resource: { type: 'referral', id: randomUUID() },
      outcome: 'allowed',
      checks: { authorisation: true, consent: true, agreement: true, emergencyAccess: false },
      consentId: null,
      agreementId: null,
      reason: null,
      ...data,
    },
  };
};
