// Builds an integration event from the domain event it is derived from. The id is derived too, so a
// relay that publishes the same domain event again produces the same integration event (consumers dedupe).
import type { IntegrationEvent, Producer } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { integrationEventId } from './integration-event-id';

type Payload<E extends IntegrationEvent> = Pick<E, 'type' | 'schemaVersion' | 'municipality' | 'subjectId' | 'data'>;

export const deriveIntegrationEvent = <E extends IntegrationEvent>(
  source: RecordedEvent,
  producer: Producer,
  payload: Payload<E>,
  index = 0,
): E =>
  ({
    eventId: integrationEventId(source.eventId, index),
    occurredAt: source.recordedAt.toISOString(),
    producer,
    ...(source.metadata.correlationId ? { correlationId: source.metadata.correlationId } : {}),
    causationId: source.eventId,
    ...payload,
  }) as E;
