// The payload fields reporting reads, typed. The contracts' `defineEvent` widens every `data` to a
// loose zod shape in its declarations (so `event.data.referralId` is `unknown` to a consumer); the
// events are validated by their zod schemas on arrival, so these views are safe casts of checked data.
import type { IntegrationEvent } from '@wor/contracts';

type At = string;
type Health = Record<string, number>;

export type Payloads = {
  ReferralRequested: {
    referralId: string;
    consentId: string;
    practiceId: string;
    recipientOrganisationId: string;
    referrerRole: string;
    reasons: string[];
    ageBand: string;
    sex: string;
    requestedAt: At;
  };
  ReferralAccepted: { referralId: string; acceptedAt: At };
  ReferralRejected: { referralId: string; reason: string; rejectedAt: At };
  CoachAssigned: { referralId: string; assignedAt: At };
  FirstContactMade: { referralId: string; contactedAt: At };
  IntakeHeld: { referralId: string; heldOn: string; positiveHealth: Health };
  ActivityLinked: { referralId: string; serviceId: string; linkedAt: At };
  ReferralPutOnHold: { referralId: string; onHoldAt: At };
  ReferralCompleted: {
    referralId: string;
    outcome: string;
    positiveHealth: Health | null;
    gasScores: { goalId: string; score: number }[];
    coachHours: number;
    completedAt: At;
  };
  ReferralFailed: { referralId: string; reason: string; coachHours: number; failedAt: At };
  ReferralCancelled: { referralId: string; cancelledBy: string; cancelledAt: At };
  ReferralEnteredInError: { referralId: string; markedAt: At };
  FeedbackSent: { referralId: string; moment: string; sentAt: At };
  ConsentGiven: { consentId: string };
  ConsentRecorded: { consentId: string; provision: 'permit' | 'deny' };
  ConsentWithdrawn: { consentId: string; withdrawnAt: At };
  AccessLogged: { accessedAt: At; role: string; action: string; purpose: string; outcome: 'allowed' | 'denied' };
  ServicePublished: { serviceId: string; name: string; publishedAt: At };
  ServiceRetired: { serviceId: string; retiredAt: At };
};

/** The typed payload of a validated event of type T. */
export const payload = <T extends keyof Payloads>(event: { type: T } & Pick<IntegrationEvent, 'data'>): Payloads[T] =>
  event.data as Payloads[T];
