// Keeps every service's AccessLogged events (Topics.accessLog) in the chain.
import type { IntegrationEvent } from '@wor/contracts';
import type { PoolClient } from 'pg';
import { appendEntries, appendEntry, type AccessLogEntry, type ChainKey } from './chain';

export const toEntry = (event: Extract<IntegrationEvent, { type: 'AccessLogged' }>): AccessLogEntry => {
  const d = event.data as Omit<AccessLogEntry, 'entryId' | 'producer' | 'subjectId'>;
  return {
    entryId: event.eventId,
    producer: event.producer,
    subjectId: event.subjectId,
    action: d.action,
    accessedAt: d.accessedAt,
    userId: d.userId,
    onBehalfOf: d.onBehalfOf,
    role: d.role,
    organisationId: d.organisationId,
    purpose: d.purpose,
    dataCategories: d.dataCategories,
    resource: d.resource,
    outcome: d.outcome,
    checks: d.checks,
    consentId: d.consentId,
    agreementId: d.agreementId,
    reason: d.reason,
  };
};

export const ingestAccessLogged =
  (key: ChainKey) =>
  async (event: IntegrationEvent, tx: PoolClient): Promise<void> => {
    if (event.type !== 'AccessLogged') return; // the topic carries nothing else today
    await appendEntry(tx, key, toEntry(event));
  };

/** The same for a run of events (the consumer's `handleMany`): the run's entries under one lock. */
export const ingestAccessLoggedMany =
  (key: ChainKey) =>
  async (events: readonly IntegrationEvent[], tx: PoolClient): Promise<void> => {
    const logged = events.filter(
      (e): e is Extract<IntegrationEvent, { type: 'AccessLogged' }> => e.type === 'AccessLogged',
    );
    await appendEntries(tx, key, logged.map(toEntry));
  };
