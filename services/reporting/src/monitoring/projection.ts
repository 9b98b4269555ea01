// Applies one event at its log position to the read models. Pure SQL upserts keyed by the referral
// (consent, service) id, "first event of a kind wins" per column group: a step that arrives before
// its ReferralRequested is kept and counts as soon as the request arrives; a duplicate changes
// nothing. The same function runs on the live path and in a rebuild, so both build the same state.
import type { PoolClient } from 'pg';
import type { PracticeListSizeSetV1, ReportingEvent } from '../received-events/events';
import type { Payloads } from '../received-events/payloads';

type Values = Record<string, unknown>;

/**
 * Sets a column group of a fact row unless its position column is already set. `table`, `key` and
 * the column names are constants of this file, never input.
 */
const setOnce = async (tx: PoolClient, table: string, key: string, id: string, posColumn: string, position: number, values: Values) => {
  const columns = Object.keys(values);
  const names = [key, ...columns, posColumn];
  const params = [id, ...columns.map((c) => values[c]), position];
  const assignments = [
    ...columns.map((c) => `${c} = CASE WHEN t.${posColumn} IS NULL THEN EXCLUDED.${c} ELSE t.${c} END`),
    `${posColumn} = COALESCE(t.${posColumn}, EXCLUDED.${posColumn})`,
  ];
  await tx.query(
    `INSERT INTO ${table} AS t (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (${key}) DO UPDATE SET ${assignments.join(', ')}`,
    params,
  );
};

const referral = (tx: PoolClient, id: string, posColumn: string, position: number, values: Values) =>
  setOnce(tx, 'referral_facts', 'referral_id', id, posColumn, position, values);

/** The validated payload of an event, typed (see payloads.ts). */
const dataOf = <T extends keyof Payloads>(event: ReportingEvent): Payloads[T] => event.data as Payloads[T];

export const applyEvent = async (event: ReportingEvent, position: number, tx: PoolClient): Promise<void> => {
  // A string switch with a default: the contracts grow, and an event type reporting does not read
  // yet is still kept in the log, so a later projection can replay it.
  switch (event.type as string) {
    case 'ReferralRequested': {
      const d = dataOf<'ReferralRequested'>(event);
      return referral(tx, d.referralId, 'requested_pos', position, {
        municipality: event.municipality,
        practice_id: d.practiceId,
        recipient_organisation_id: d.recipientOrganisationId,
        referrer_role: d.referrerRole,
        reasons: d.reasons,
        age_band: d.ageBand,
        sex: d.sex,
        requested_at: d.requestedAt,
      });
    }
    case 'ReferralAccepted': {
      const d = dataOf<'ReferralAccepted'>(event);
      return referral(tx, d.referralId, 'accepted_pos', position, { accepted_at: d.acceptedAt });
    }
    case 'ReferralRejected': {
      const d = dataOf<'ReferralRejected'>(event);
      return referral(tx, d.referralId, 'rejected_pos', position, {
        rejected_at: d.rejectedAt,
        rejection_reason: d.reason,
      });
    }
    case 'CoachAssigned': {
      const d = dataOf<'CoachAssigned'>(event);
      return referral(tx, d.referralId, 'coach_assigned_pos', position, { coach_assigned_at: d.assignedAt });
    }
    case 'ContactAttempted':
      // Attempts matter only through FirstContactMade and the not-reachable outcome.
      return;
    case 'FirstContactMade': {
      const d = dataOf<'FirstContactMade'>(event);
      return referral(tx, d.referralId, 'first_contact_pos', position, { first_contact_at: d.contactedAt });
    }
    case 'IntakeHeld': {
      const d = dataOf<'IntakeHeld'>(event);
      return referral(tx, d.referralId, 'intake_pos', position, {
        intake_on: d.heldOn,
        intake_health: JSON.stringify(d.positiveHealth),
      });
    }
    case 'ActivityLinked': {
      const d = dataOf<'ActivityLinked'>(event);
      await tx.query(`INSERT INTO activity_links (position, referral_id, service_id, linked_at) VALUES ($1, $2, $3, $4)`, [
        position,
        d.referralId,
        d.serviceId,
        d.linkedAt,
      ]);
      return;
    }
    case 'ReferralPutOnHold': {
      const d = dataOf<'ReferralPutOnHold'>(event);
      return referral(tx, d.referralId, 'on_hold_pos', position, { on_hold_at: d.onHoldAt });
    }
    case 'ReferralResumed':
      // The monitoring reports whether a referral was ever on hold, not its current pause.
      return;
    case 'ReferralCompleted': {
      const d = dataOf<'ReferralCompleted'>(event);
      return referral(tx, d.referralId, 'closed_pos', position, {
        closed_as: 'completed',
        closed_at: d.completedAt,
        closure_reason: d.outcome,
        coach_hours: d.coachHours,
        closure_health: d.positiveHealth === null ? null : JSON.stringify(d.positiveHealth),
        gas_scores: d.gasScores.map((g) => g.score),
      });
    }
    case 'ReferralFailed': {
      const d = dataOf<'ReferralFailed'>(event);
      return referral(tx, d.referralId, 'closed_pos', position, {
        closed_as: 'failed',
        closed_at: d.failedAt,
        closure_reason: d.reason,
        coach_hours: d.coachHours,
      });
    }
    case 'ReferralCancelled': {
      const d = dataOf<'ReferralCancelled'>(event);
      return referral(tx, d.referralId, 'closed_pos', position, {
        closed_as: 'cancelled',
        closed_at: d.cancelledAt,
        closure_reason: d.cancelledBy,
      });
    }
    case 'ReferralEnteredInError': {
      const d = dataOf<'ReferralEnteredInError'>(event);
      return referral(tx, d.referralId, 'error_pos', position, { error_at: d.markedAt });
    }
    case 'FeedbackSent': {
      const d = dataOf<'FeedbackSent'>(event);
      return referral(tx, d.referralId, 'feedback_pos', position, {
        feedback_at: d.sentAt,
        feedback_moment: d.moment,
      });
    }
    case 'ConsentGiven': {
      const d = dataOf<'ConsentGiven'>(event);
      return setOnce(tx, 'consent_facts', 'consent_id', d.consentId, 'given_pos', position, {
        municipality: event.municipality,
        given_at: event.occurredAt,
      });
    }
    case 'ConsentRecorded': {
      // The successor of ConsentGiven: a permit counts as a consent given; an objection does not.
      const d = dataOf<'ConsentRecorded'>(event);
      if (d.provision !== 'permit') return;
      return setOnce(tx, 'consent_facts', 'consent_id', d.consentId, 'given_pos', position, {
        municipality: event.municipality,
        given_at: event.occurredAt,
      });
    }
    case 'ConsentWithdrawn': {
      const d = dataOf<'ConsentWithdrawn'>(event);
      return setOnce(tx, 'consent_facts', 'consent_id', d.consentId, 'withdrawn_pos', position, {
        withdrawn_at: d.withdrawnAt,
      });
    }
    case 'DataSharingAgreementActivated':
    case 'DataSharingAgreementEnded':
      // Kept in the log; no indicator uses them yet.
      return;
    case 'AccessLogged': {
      const d = dataOf<'AccessLogged'>(event);
      if (d.outcome !== 'denied') return;
      await tx.query(
        `INSERT INTO access_denials (position, municipality, accessed_at, role, action, purpose) VALUES ($1, $2, $3, $4, $5, $6)`,
        [position, event.municipality, d.accessedAt, d.role, d.action, d.purpose],
      );
      return;
    }
    case 'ServicePublished': {
      const d = dataOf<'ServicePublished'>(event);
      return setOnce(tx, 'social_map_services', 'service_id', d.serviceId, 'published_pos', position, {
        name: d.name,
        published_at: d.publishedAt,
      });
    }
    case 'ServiceRetired': {
      const d = dataOf<'ServiceRetired'>(event);
      return setOnce(tx, 'social_map_services', 'service_id', d.serviceId, 'retired_pos', position, {
        retired_at: d.retiredAt,
      });
    }
    case 'PracticeListSizeSet': {
      const d = (event as PracticeListSizeSetV1).data;
      await tx.query(
        `INSERT INTO practice_list_sizes (position, municipality, practice_id, registered_patients, set_at) VALUES ($1, $2, $3, $4, $5)`,
        [position, event.municipality, d.practiceId, d.registeredPatients, d.setAt],
      );
      return;
    }
    default:
      return;
  }
};
