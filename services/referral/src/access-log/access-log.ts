// NEN 7513 access logging: every read and write of a patient's personal data by this service, allowed
// or denied, becomes an AccessLogged event in the service's own store (the outbox), so an entry is
// never lost once the access happened. The relay publishes it to the shared access-log topic, where
// the consent service keeps the hash-chained log.
import { randomUUID } from 'node:crypto';
import type { AccessAction, AccessLoggedV1, AccessPurpose, DataCategory, IntegrationEvent } from '@wor/contracts';
import type { EventMetadata, EventStore, RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';

export type AccessEntry = Readonly<{
  subjectId: string;
  municipality: string | null;
  action: AccessAction;
  userId: string;
  onBehalfOf: string | null;
  role: string;
  organisationId: string | null;
  purpose: AccessPurpose;
  dataCategories: DataCategory[];
  resource: { type: string; id: string };
  outcome: 'allowed' | 'denied';
  checks: { authorisation: boolean; consent: boolean; agreement: boolean; emergencyAccess: boolean };
  consentId: string | null;
  agreementId: string | null;
  reason: string | null;
}>;

export type AccessLoggedEvent = Readonly<{ type: 'AccessLogged'; data: AccessEntry & { accessedAt: string } }>;

export const ACCESS_LOG_STREAM_PREFIX = 'access-log-';

export type AccessLog = Readonly<{ record(entry: AccessEntry, metadata?: EventMetadata): Promise<void> }>;

export const createAccessLog = (store: EventStore, now: () => Date): AccessLog => ({
  async record(entry, metadata) {
    // One stream per entry: entries never contend, and reads never bump a referral's version (ETag).
    await store.append<AccessLoggedEvent>(`${ACCESS_LOG_STREAM_PREFIX}${randomUUID()}`, [{ type: 'AccessLogged', data: { ...entry, accessedAt: now().toISOString() } }], {
      expectedVersion: 'no_stream',
      ...(metadata ? { metadata } : {}),
    });
  },
});

/** The relay's mapper for the access-log topic; everything else is another relay's. */
export const toAccessLogIntegrationEvents = (recorded: RecordedEvent): IntegrationEvent[] => {
  if (!recorded.streamId.startsWith(ACCESS_LOG_STREAM_PREFIX) || recorded.type !== 'AccessLogged') return [];
  const { subjectId, municipality, ...data } = (recorded as RecordedEvent<AccessLoggedEvent>).data;
  return [
    deriveIntegrationEvent<AccessLoggedV1>(recorded, 'referral', {
      type: 'AccessLogged',
      schemaVersion: 1,
      municipality,
      subjectId,
      data: {
        action: data.action,
        accessedAt: data.accessedAt,
        userId: data.userId,
        onBehalfOf: data.onBehalfOf,
        role: data.role,
        organisationId: data.organisationId,
        purpose: data.purpose,
        dataCategories: [...data.dataCategories],
        resource: { ...data.resource },
        outcome: data.outcome,
        checks: { ...data.checks },
        consentId: data.consentId,
        agreementId: data.agreementId,
        reason: data.reason,
      },
    }),
  ];
};

/** A refused call for a person's report (art. 15) is logged too, when the path names a subject. */
export const recordRefusedReport = async (
  accessLog: AccessLog,
  caller: { subject: string; roles: readonly string[]; organisationId?: string },
  path: string,
  reason: string,
  metadata: EventMetadata,
): Promise<void> => {
  const subjectId = /\/subjects\/(sub_[0-9a-f]{32})\//.exec(path)?.[1];
  if (!subjectId) return; // an invalid id names no one; the route answers 403 anyway
  await accessLog.record(
    {
      subjectId,
      municipality: null,
      action: 'R',
      userId: caller.subject,
      onBehalfOf: null,
      role: caller.roles[0] ?? 'unknown',
      organisationId: caller.organisationId ?? null,
      purpose: 'subject-rights',
      dataCategories: [],
      resource: { type: 'subject-report', id: subjectId },
      outcome: 'denied',
      checks: { authorisation: false, consent: false, agreement: false, emergencyAccess: false },
      consentId: null,
      agreementId: null,
      reason,
    },
    metadata,
  );
};
