// The referral service's PII filter toward Kafka: sealed data (contact details, urgency note, goal
// texts, feedback messages) and user ids never leave the service; codes, dates and scores do.
import type { IntegrationEvent } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { deriveIntegrationEvent } from '@wor/messaging';
import type { ReferralEvent } from './events';
import { REFERRAL_STREAM_PREFIX, type ReferralState } from './referral';

/** Codes every integration event of a referral needs, appended as each event's stream facts. */
export type ReferralStreamFacts = Readonly<{
  municipality: string;
  subjectId: string;
  recipientOrganisationId: string;
  practiceId: string;
}>;

export const referralStreamFacts = (state: Pick<ReferralState, keyof ReferralStreamFacts>): ReferralStreamFacts => ({
  municipality: state.municipality,
  subjectId: state.subjectId,
  recipientOrganisationId: state.recipientOrganisationId,
  practiceId: state.practiceId,
});

type Mapped = {
  [T in IntegrationEvent['type']]: { type: T; data: Extract<IntegrationEvent, { type: T }>['data'] };
}[IntegrationEvent['type']];

const toPublic = (event: ReferralEvent, facts: ReferralStreamFacts): Mapped | null => {
  switch (event.type) {
    // An order awaiting its Task stays in the service: downstream the referral starts with ReferralRequested.
    case 'ReferralOrdered':
      return null;
    case 'ReferralRequested': {
      const d = event.data;
      return {
        type: 'ReferralRequested',
        data: {
          referralId: d.referralId,
          consentId: d.consentId,
          practiceId: d.practiceId,
          recipientOrganisationId: d.recipientOrganisationId,
          referrerRole: d.referrerRole,
          reasons: d.reasons,
          ageBand: d.ageBand,
          sex: d.sex,
          requestedAt: d.requestedAt,
        },
      };
    }
    case 'ReferralAccepted': {
      const { referralId, organisationId, acceptedAt } = event.data;
      return { type: 'ReferralAccepted', data: { referralId, organisationId, acceptedAt } };
    }
    case 'ReferralRejected': {
      const { referralId, organisationId, reason, rejectedAt } = event.data;
      return { type: 'ReferralRejected', data: { referralId, organisationId, reason, rejectedAt } };
    }
    case 'CoachAssigned': {
      const { referralId, previousCoachId, assignedAt } = event.data;
      return {
        type: 'CoachAssigned',
        data: {
          referralId,
          organisationId: facts.recipientOrganisationId,
          reassignment: previousCoachId !== null,
          assignedAt,
        },
      };
    }
    case 'ContactAttempted': {
      const { referralId, attemptNumber, reached, attemptedAt } = event.data;
      return { type: 'ContactAttempted', data: { referralId, attemptNumber, reached, attemptedAt } };
    }
    case 'FirstContactMade':
      return { type: 'FirstContactMade', data: { ...event.data } };
    case 'IntakeHeld': {
      const { referralId, heldOn, positiveHealth, goals, recordedAt } = event.data;
      return {
        type: 'IntakeHeld',
        data: { referralId, heldOn, positiveHealth, goals: goals.map((g) => ({ ...g })), recordedAt },
      };
    }
    case 'ActivityLinked': {
      const { referralId, serviceId, linkedAt } = event.data;
      return { type: 'ActivityLinked', data: { referralId, serviceId, linkedAt } };
    }
    case 'ReferralPutOnHold': {
      const { referralId, reason, onHoldAt } = event.data;
      return { type: 'ReferralPutOnHold', data: { referralId, reason, onHoldAt } };
    }
    case 'ReferralResumed': {
      const { referralId, resumedAt } = event.data;
      return { type: 'ReferralResumed', data: { referralId, resumedAt } };
    }
    case 'ReferralCompleted': {
      const { referralId, outcome, positiveHealth, gasScores, coachHours, completedAt } = event.data;
      return {
        type: 'ReferralCompleted',
        data: {
          referralId,
          outcome,
          positiveHealth,
          gasScores: gasScores.map((g) => ({ ...g })),
          coachHours,
          completedAt,
        },
      };
    }
    case 'ReferralFailed':
      return { type: 'ReferralFailed', data: { ...event.data } };
    case 'ReferralCancelled':
      return { type: 'ReferralCancelled', data: { ...event.data } };
    case 'ReferralEnteredInError':
      return { type: 'ReferralEnteredInError', data: { ...event.data } };
    case 'FeedbackSent': {
      const { referralId, moment, practiceId, sentAt } = event.data;
      return { type: 'FeedbackSent', data: { referralId, moment, practiceId, sentAt } };
    }
    default: {
      const _exhaustive: never = event;
      throw new Error(`Unmapped referral event ${(_exhaustive as ReferralEvent).type}`);
    }
  }
};

const factsOf = (recorded: RecordedEvent<ReferralEvent>): ReferralStreamFacts => {
  if (recorded.type === 'ReferralRequested') return referralStreamFacts(recorded.data);
  const facts = recorded.metadata.streamFacts as Partial<ReferralStreamFacts> | undefined;
  if (!facts?.municipality || !facts.subjectId || !facts.recipientOrganisationId || !facts.practiceId)
    throw new Error(`Referral event ${recorded.eventId} lacks its stream facts`);
  return facts as ReferralStreamFacts;
};

export const toIntegrationEvents = (recorded: RecordedEvent): IntegrationEvent[] => {
  // The store also holds the access log, which another relay publishes to its own topic.
  if (!recorded.streamId.startsWith(REFERRAL_STREAM_PREFIX)) return [];
  const event = recorded as RecordedEvent<ReferralEvent>;
  const facts = factsOf(event);
  const mapped = toPublic(event, facts);
  if (!mapped) return [];
  const { type, data } = mapped;
  return [
    deriveIntegrationEvent(event, 'referral', {
      type,
      schemaVersion: 1,
      municipality: facts.municipality,
      subjectId: facts.subjectId,
      data,
    } as Parameters<typeof deriveIntegrationEvent>[2]),
  ];
};
