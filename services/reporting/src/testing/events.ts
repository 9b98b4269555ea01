// Example events for reporting's tests: every referral step, consent, access-log and social-map
// events, valid against their contracts (a test asserts that). Built here, not in the contracts.
import { randomUUID } from 'node:crypto';
import type { PracticeListSizeSetV1, ReportingEvent } from '../received-events/events';

type Envelope = { municipality?: string | null; occurredAt?: string; eventId?: string };

const envelope = (type: string, producer: string, occurredAt: string, e: Envelope = {}) => ({
  eventId: e.eventId ?? randomUUID(),
  type,
  schemaVersion: 1,
  occurredAt: e.occurredAt ?? occurredAt,
  producer,
  municipality: e.municipality === undefined ? 'GM0001' : e.municipality,
  subjectId: `sub_${'b'.repeat(32)}`,
});

const event = (
  type: string,
  producer: string,
  at: string,
  data: Record<string, unknown>,
  e?: Envelope,
): ReportingEvent => ({ ...envelope(type, producer, at, e), data }) as unknown as ReportingEvent;

export const health = (score: number) => ({
  lichaamsfuncties: score,
  'mentaal-welbevinden': score,
  zingeving: score,
  'kwaliteit-van-leven': score,
  meedoen: score,
  'dagelijks-functioneren': score,
});

export type RequestedOptions = {
  referralId?: string;
  municipality?: string | null;
  practiceId?: string;
  referrerRole?: string;
  reasons?: string[];
  consentId?: string;
  ageBand?: string;
  sex?: string;
  at?: string;
};

/** The builders of one referral's steps; `id` is the referral id. */
export const referralEvents = (id: string = randomUUID()) => ({
  id,
  requested: (o: RequestedOptions = {}) =>
    event(
      'ReferralRequested',
      'referral',
      o.at ?? '2026-03-02T09:00:00Z',
      {
        referralId: id,
        consentId: o.consentId ?? randomUUID(),
        practiceId: o.practiceId ?? 'huisarts-een',
        recipientOrganisationId: 'welzijn-een',
        referrerRole: o.referrerRole ?? 'huisarts',
        reasons: o.reasons ?? ['eenzaamheid'],
        ageBand: o.ageBand ?? '65-74',
        sex: o.sex ?? 'female',
        requestedAt: o.at ?? '2026-03-02T09:00:00Z',
      },
      { municipality: o.municipality },
    ),
  accepted: (at: string) =>
    event('ReferralAccepted', 'referral', at, { referralId: id, organisationId: 'welzijn-een', acceptedAt: at }),
  rejected: (at: string, reason = 'outside-target-group') =>
    event('ReferralRejected', 'referral', at, {
      referralId: id,
      organisationId: 'welzijn-een',
      reason,
      rejectedAt: at,
    }),
  coachAssigned: (at: string) =>
    event('CoachAssigned', 'referral', at, {
      referralId: id,
      organisationId: 'welzijn-een',
      reassignment: false,
      assignedAt: at,
    }),
  contactAttempted: (at: string, reached = false) =>
    event('ContactAttempted', 'referral', at, { referralId: id, attemptNumber: 1, reached, attemptedAt: at }),
  firstContact: (at: string) => event('FirstContactMade', 'referral', at, { referralId: id, contactedAt: at }),
  intake: (at: string, score = 5) =>
    event('IntakeHeld', 'referral', at, {
      referralId: id,
      heldOn: at.slice(0, 10),
      positiveHealth: health(score),
      goals: [{ goalId: randomUUID(), baseline: -1 }],
      recordedAt: at,
    }),
  activityLinked: (at: string, serviceId: string) =>
    event('ActivityLinked', 'referral', at, { referralId: id, serviceId, linkedAt: at }),
  onHold: (at: string) =>
    event('ReferralPutOnHold', 'referral', at, { referralId: id, reason: 'patient-unwell', onHoldAt: at }),
  resumed: (at: string) => event('ReferralResumed', 'referral', at, { referralId: id, resumedAt: at }),
  completed: (at: string, o: { outcome?: string; coachHours?: number; score?: number | null; gas?: number[] } = {}) =>
    event('ReferralCompleted', 'referral', at, {
      referralId: id,
      outcome: o.outcome ?? 'linked-to-activity',
      positiveHealth: o.score === null ? null : health(o.score ?? 7),
      gasScores: (o.gas ?? [1]).map((score) => ({ goalId: randomUUID(), score })),
      coachHours: o.coachHours ?? 8,
      completedAt: at,
    }),
  failed: (at: string, reason = 'dropped-out', coachHours = 3) =>
    event('ReferralFailed', 'referral', at, { referralId: id, reason, coachHours, failedAt: at }),
  cancelled: (at: string) =>
    event('ReferralCancelled', 'referral', at, { referralId: id, cancelledBy: 'referrer', cancelledAt: at }),
  enteredInError: (at: string) => event('ReferralEnteredInError', 'referral', at, { referralId: id, markedAt: at }),
  feedback: (at: string, moment = 'acceptance', practiceId = 'huisarts-een') =>
    event('FeedbackSent', 'referral', at, { referralId: id, moment, practiceId, sentAt: at }),
});

/** A referral that went the whole way: requested, accepted, contacted, intake, completed, feedback. */
export const fullReferral = (o: RequestedOptions & { days?: [number, number, number, number] } = {}) => {
  const r = referralEvents(o.referralId);
  const start = Date.parse(o.at ?? '2026-03-02T09:00:00Z');
  const [accept, contact, intake, close] = o.days ?? [2, 5, 12, 60];
  const at = (days: number) => new Date(start + days * 86_400_000).toISOString();
  return [
    r.requested(o),
    r.accepted(at(accept)),
    r.feedback(at(accept)),
    r.coachAssigned(at(accept)),
    r.firstContact(at(contact)),
    r.intake(at(intake), 5),
    r.completed(at(close), { score: 7, coachHours: 8 }),
  ];
};

export const consentGiven = (
  consentId: string = randomUUID(),
  at = '2026-03-01T09:00:00Z',
  municipality: string | null = 'GM0001',
) =>
  event(
    'ConsentGiven',
    'consent',
    at,
    {
      consentId,
      recipientOrganisationId: 'welzijn-een',
      purposes: ['wor-referral'],
      dataCategories: ['referral-reason'],
      validFrom: at,
      validUntil: null,
    },
    { municipality },
  );

export const consentWithdrawn = (consentId: string, at = '2026-03-05T09:00:00Z', municipality = 'GM0001') =>
  event('ConsentWithdrawn', 'consent', at, { consentId, withdrawnAt: at }, { municipality });

export const accessLogged = (outcome: 'allowed' | 'denied', at = '2026-03-03T09:00:00Z', municipality = 'GM0001') =>
  event(
    'AccessLogged',
    'referral',
    at,
    {
      action: 'R',
      accessedAt: at,
      userId: 'coach-x',
      onBehalfOf: null,
      role: 'coach',
      organisationId: 'welzijn-een',
      purpose: 'wor-coaching',
      dataCategories: ['contact-details'],
      resource: { type: 'referral', id: randomUUID() },
      outcome,
      checks: { authorisation: true, consent: outcome === 'allowed', agreement: true, emergencyAccess: false },
      consentId: null,
      agreementId: null,
      reason: outcome === 'denied' ? 'no active consent for this purpose' : null,
    },
    { municipality },
  );

export const servicePublished = (serviceId: string = randomUUID(), name = 'Wandelgroep', at = '2026-01-10T09:00:00Z') =>
  event(
    'ServicePublished',
    'social-map',
    at,
    { serviceId, organizationId: randomUUID(), name, dimensions: ['meedoen'], publishedAt: at },
    { municipality: 'GM0001' },
  );

export const listSizeSet = (
  practiceId: string,
  registeredPatients: number,
  municipality = 'GM0001',
  at = '2026-01-01T08:00:00Z',
): PracticeListSizeSetV1 => ({
  eventId: randomUUID(),
  type: 'PracticeListSizeSet',
  schemaVersion: 1,
  occurredAt: at,
  producer: 'reporting',
  municipality,
  subjectId: null,
  data: { practiceId, registeredPatients, setAt: at },
});

/** A welfare organisation's coach-hour plan for a month, as the referral service publishes it. */
export const capacityPlanned = (
  organisationId: string,
  month: string,
  coachHours: number,
  at = '2026-01-05T08:00:00Z',
  expectedHoursPerReferral = 8.5,
): ReportingEvent => ({
  eventId: randomUUID(),
  type: 'CapacityPlanned',
  schemaVersion: 1,
  occurredAt: at,
  producer: 'referral',
  municipality: null,
  subjectId: null,
  data: { organisationId, month, coachHours, expectedHoursPerReferral, plannedAt: at },
});
