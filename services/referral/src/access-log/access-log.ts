// NEN 7513 access logging: every read and write of a patient's personal data by this service, allowed
// or denied, becomes an AccessLogged event in the service's own store (the outbox), so an entry is
// never lost once the access happened. The relay publishes it to the shared access-log topic, where
// the consent service keeps the hash-chained log.
import { randomUUID } from 'node:crypto';
import type { AccessLoggedV1, IntegrationEvent } from '@wor/contracts';
import type { AppendResult, EventMetadata, EventStore, RecordedEvent, StreamAppend } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';

/** An entry as the service records it: the contract's NEN 7513 fields, with whom it was about. */
export type AccessEntry = Readonly<
  Omit<AccessLoggedV1['data'], 'accessedAt'> & { subjectId: string; municipality: string | null }
>;

export type AccessLoggedEvent = Readonly<{ type: 'AccessLogged'; data: AccessEntry & { accessedAt: string } }>;

/** The reason in the denied-access log when a caller probes a real id it is no party to (it sees 404). */
export const NOT_A_PARTY = 'not a party';

export const ACCESS_LOG_STREAM_PREFIX = 'access-log-';

export type AccessLog = Readonly<{
  record(entry: AccessEntry, metadata?: EventMetadata): Promise<void>;
  /**
   * The entry together with the write it logs, in one commit where the store can (appendMany): the write
   * exists only with its entry. Otherwise the entry first, as `record`. Returns the write's result.
   */
  recordWith(entry: AccessEntry, metadata: EventMetadata | undefined, write: StreamAppend): Promise<AppendResult>;
}>;

export const createAccessLog = (store: EventStore, now: () => Date): AccessLog => {
  // One stream per entry: entries never contend, and reads never bump a referral's version (ETag).
  const entryAppend = (entry: AccessEntry, metadata: EventMetadata | undefined): StreamAppend => ({
    streamId: `${ACCESS_LOG_STREAM_PREFIX}${randomUUID()}`,
    events: [{ type: 'AccessLogged', data: { ...entry, accessedAt: now().toISOString() } }],
    expectedVersion: 'no_stream',
    ...(metadata ? { metadata } : {}),
  });
  const append = ({ streamId, events, expectedVersion, metadata }: StreamAppend) =>
    store.append(streamId, events, { expectedVersion, ...(metadata ? { metadata } : {}) });
  return {
    async record(entry, metadata) {
      await append(entryAppend(entry, metadata));
    },
    async recordWith(entry, metadata, write) {
      const logged = entryAppend(entry, metadata);
      if (store.appendMany) return (await store.appendMany([logged, write]))[1]!;
      await append(logged);
      return append(write);
    },
  };
};

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
      // The stored entry is the contract's payload plus its subject, which goes into the envelope.
      data,
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
