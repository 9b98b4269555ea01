// Turns each event at its log position into a change of the read models, and applies changes in
// bulk. The live path applies the changes of one event; a rebuild folds a batch of thousands first.
// Both run the same SQL, so both build the same state.
//
// Fact rows (a referral, a consent, a social-map service) are keyed by their id and made of column
// groups; each group is set once, by the first event of its kind (the lowest position), and records
// that position. So a step that arrives before its ReferralRequested is kept and counts as soon as
// the request arrives, a repeated step changes nothing, and the state "as of" a position can be read
// back. Log-like tables (activity links, access denials, list sizes) get one row per event.
import { assertNever, PositiveHealthDimension } from '@wor/contracts';
import type { PoolClient } from 'pg';
import type { ReportingEvent } from '../received-events/events';

/** Fact tables: key column and, per position column, the columns that event kind sets. */
export const FACT_TABLES = {
  referral_facts: {
    key: 'referral_id',
    groups: {
      requested_pos: [
        'municipality',
        'practice_id',
        'recipient_organisation_id',
        'referrer_role',
        'reasons',
        'age_band',
        'sex',
        'consent_id',
        'requested_at',
      ],
      accepted_pos: ['accepted_at'],
      rejected_pos: ['rejected_at', 'rejection_reason'],
      coach_assigned_pos: ['coach_assigned_at'],
      first_contact_pos: ['first_contact_at'],
      intake_pos: ['intake_on', 'intake_health'],
      on_hold_pos: ['on_hold_at'],
      closed_pos: ['closed_as', 'closed_at', 'closure_reason', 'coach_hours', 'closure_health', 'gas_scores'],
      feedback_pos: ['feedback_at', 'feedback_moment'],
      error_pos: ['error_at'],
    },
  },
  consent_facts: {
    key: 'consent_id',
    groups: { given_pos: ['municipality', 'given_at'], withdrawn_pos: ['withdrawn_at'] },
  },
  social_map_services: {
    key: 'service_id',
    groups: { published_pos: ['name', 'published_at'], retired_pos: ['retired_at'] },
  },
} as const;

type FactTable = keyof typeof FACT_TABLES;
type LogTable = 'activity_links' | 'access_denials' | 'practice_list_sizes' | 'capacity_plans';
type Row = Record<string, unknown>;

export type Change =
  | { kind: 'set'; table: FactTable; id: string; group: string; position: number; values: Row }
  | { kind: 'insert'; table: LogTable; row: Row };

/** Scores in the fixed dimension order (numeric[] columns: cheap to subtract, no JSON per row). */
const scores = (health: Record<string, number>): number[] => PositiveHealthDimension.options.map((d) => health[d] ?? 0);

const referral = (id: string, group: string, position: number, values: Row): Change => ({
  kind: 'set',
  table: 'referral_facts',
  id,
  group,
  position,
  values,
});

/** The read-model change an event makes, if any. */
export const changeOf = (event: ReportingEvent, position: number): Change | undefined => {
  // Exhaustive over the contracts' union: a new contract event fails to compile until it is named here. Events
  // reporting does not count are kept in the log all the same, so a later projection can replay them.
  switch (event.type) {
    case 'ReferralRequested': {
      const d = event.data;
      return referral(d.referralId, 'requested_pos', position, {
        municipality: event.municipality,
        practice_id: d.practiceId,
        recipient_organisation_id: d.recipientOrganisationId,
        referrer_role: d.referrerRole,
        reasons: d.reasons,
        age_band: d.ageBand,
        sex: d.sex,
        consent_id: d.consentId,
        requested_at: d.requestedAt,
      });
    }
    case 'ReferralAccepted': {
      const d = event.data;
      return referral(d.referralId, 'accepted_pos', position, { accepted_at: d.acceptedAt });
    }
    case 'ReferralRejected': {
      const d = event.data;
      return referral(d.referralId, 'rejected_pos', position, {
        rejected_at: d.rejectedAt,
        rejection_reason: d.reason,
      });
    }
    case 'CoachAssigned': {
      const d = event.data;
      return referral(d.referralId, 'coach_assigned_pos', position, { coach_assigned_at: d.assignedAt });
    }
    case 'FirstContactMade': {
      const d = event.data;
      return referral(d.referralId, 'first_contact_pos', position, { first_contact_at: d.contactedAt });
    }
    case 'IntakeHeld': {
      const d = event.data;
      return referral(d.referralId, 'intake_pos', position, {
        intake_on: d.heldOn,
        intake_health: scores(d.positiveHealth),
      });
    }
    case 'ActivityLinked': {
      const d = event.data;
      return {
        kind: 'insert',
        table: 'activity_links',
        row: { position, referral_id: d.referralId, service_id: d.serviceId, linked_at: d.linkedAt },
      };
    }
    case 'ReferralPutOnHold': {
      const d = event.data;
      return referral(d.referralId, 'on_hold_pos', position, { on_hold_at: d.onHoldAt });
    }
    case 'ReferralCompleted': {
      const d = event.data;
      return referral(d.referralId, 'closed_pos', position, {
        closed_as: 'completed',
        closed_at: d.completedAt,
        closure_reason: d.outcome,
        coach_hours: d.coachHours,
        closure_health: d.positiveHealth === null ? null : scores(d.positiveHealth),
        gas_scores: d.gasScores.map((g) => g.score),
      });
    }
    case 'ReferralFailed': {
      const d = event.data;
      return referral(d.referralId, 'closed_pos', position, {
        closed_as: 'failed',
        closed_at: d.failedAt,
        closure_reason: d.reason,
        coach_hours: d.coachHours,
      });
    }
    case 'ReferralCancelled': {
      const d = event.data;
      return referral(d.referralId, 'closed_pos', position, {
        closed_as: 'cancelled',
        closed_at: d.cancelledAt,
        closure_reason: d.cancelledBy,
      });
    }
    case 'ReferralEnteredInError': {
      const d = event.data;
      return referral(d.referralId, 'error_pos', position, { error_at: d.markedAt });
    }
    case 'FeedbackSent': {
      const d = event.data;
      return referral(d.referralId, 'feedback_pos', position, { feedback_at: d.sentAt, feedback_moment: d.moment });
    }
    case 'ConsentGiven':
      return {
        kind: 'set',
        table: 'consent_facts',
        id: event.data.consentId,
        group: 'given_pos',
        position,
        values: { municipality: event.municipality, given_at: event.occurredAt },
      };
    case 'ConsentRecorded': {
      // The successor of ConsentGiven: a permit counts as a consent given; an objection does not.
      const d = event.data;
      if (d.provision !== 'permit') return undefined;
      return {
        kind: 'set',
        table: 'consent_facts',
        id: d.consentId,
        group: 'given_pos',
        position,
        values: { municipality: event.municipality, given_at: event.occurredAt },
      };
    }
    case 'ConsentWithdrawn': {
      const d = event.data;
      return {
        kind: 'set',
        table: 'consent_facts',
        id: d.consentId,
        group: 'withdrawn_pos',
        position,
        values: { withdrawn_at: d.withdrawnAt },
      };
    }
    case 'AccessLogged': {
      const d = event.data;
      if (d.outcome !== 'denied') return undefined;
      return {
        kind: 'insert',
        table: 'access_denials',
        row: {
          position,
          municipality: event.municipality,
          accessed_at: d.accessedAt,
          role: d.role,
          action: d.action,
          purpose: d.purpose,
        },
      };
    }
    case 'ServicePublished': {
      const d = event.data;
      return {
        kind: 'set',
        table: 'social_map_services',
        id: d.serviceId,
        group: 'published_pos',
        position,
        values: { name: d.name, published_at: d.publishedAt },
      };
    }
    case 'ServiceRetired': {
      const d = event.data;
      return {
        kind: 'set',
        table: 'social_map_services',
        id: d.serviceId,
        group: 'retired_pos',
        position,
        values: { retired_at: d.retiredAt },
      };
    }
    case 'PracticeListSizeSet': {
      const d = event.data;
      return {
        kind: 'insert',
        table: 'practice_list_sizes',
        row: {
          position,
          municipality: event.municipality,
          practice_id: d.practiceId,
          registered_patients: d.registeredPatients,
          set_at: d.setAt,
        },
      };
    }
    case 'CapacityPlanned': {
      const d = event.data;
      return {
        kind: 'insert',
        table: 'capacity_plans',
        row: {
          position,
          organisation_id: d.organisationId,
          month: d.month,
          coach_hours: d.coachHours,
          expected_hours_per_referral: d.expectedHoursPerReferral,
          planned_at: d.plannedAt,
        },
      };
    }
    // Only FirstContactMade and the not-reachable outcome matter, and the monitoring reports whether a
    // referral was ever on hold; agreements, subject erasure, key users and service details are not counted.
    case 'ContactAttempted':
    case 'ReferralResumed':
    case 'DataSharingAgreementActivated':
    case 'DataSharingAgreementEnded':
    case 'SubjectErased':
    case 'ServiceUpdated':
    case 'CapacityChanged':
    case 'OrganizationRegistered':
    case 'KeyUserAppointed':
    case 'KeyUserRevoked':
      return undefined;
    default:
      return assertNever(event);
  }
};

/** One upsert per fact table: a group's columns are taken from the new row only while unset. */
const upsertSql = (table: FactTable): string => {
  const { key, groups } = FACT_TABLES[table];
  const assignments = Object.entries(groups as Record<string, readonly string[]>).flatMap(([pos, columns]) => [
    ...columns.map((c) => `${c} = CASE WHEN t.${pos} IS NULL THEN EXCLUDED.${c} ELSE t.${c} END`),
    `${pos} = COALESCE(t.${pos}, EXCLUDED.${pos})`,
  ]);
  // The columns named, not `*`: a table may have generated columns (migrations), which PostgreSQL
  // computes itself and refuses values for.
  const columns = [
    key,
    ...Object.entries(groups as Record<string, readonly string[]>).flatMap(([pos, cs]) => [...cs, pos]),
  ];
  return `INSERT INTO ${table} AS t (${columns.join(', ')})
    SELECT ${columns.join(', ')} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
    ON CONFLICT (${key}) DO UPDATE SET ${assignments.join(', ')}`;
};
const UPSERT = Object.fromEntries(Object.keys(FACT_TABLES).map((t) => [t, upsertSql(t as FactTable)])) as Record<
  FactTable,
  string
>;

/** A statement of a batch: its SQL and its one parameter, the rows as JSON (cheap to hand across threads). */
export type Statement = Readonly<{ sql: string; rows: string }>;

/**
 * The statements that apply changes in position order. Changes to one fact row are folded first (the
 * first of each group wins, as in the table), so one statement per table carries the whole batch.
 */
export const statementsOf = (changes: readonly Change[]): Statement[] => {
  const facts = new Map<FactTable, Map<string, Row>>();
  const inserts = new Map<LogTable, Row[]>();
  for (const change of changes) {
    if (change.kind === 'insert') {
      const rows = inserts.get(change.table) ?? [];
      rows.push(change.row);
      inserts.set(change.table, rows);
      continue;
    }
    const rows = facts.get(change.table) ?? new Map<string, Row>();
    facts.set(change.table, rows);
    const row = rows.get(change.id) ?? { [FACT_TABLES[change.table].key]: change.id };
    rows.set(change.id, row);
    if (row[change.group] === undefined) Object.assign(row, change.values, { [change.group]: change.position });
  }
  return [
    ...[...facts].map(([table, rows]) => ({ sql: UPSERT[table], rows: JSON.stringify([...rows.values()]) })),
    ...[...inserts].map(([table, rows]) => ({
      sql: `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`,
      rows: JSON.stringify(rows),
    })),
  ];
};

export const runStatements = async (statements: readonly Statement[], tx: PoolClient): Promise<void> => {
  for (const { sql, rows } of statements) await tx.query(sql, [rows]);
};

export const applyChanges = async (changes: readonly Change[], tx: PoolClient): Promise<void> =>
  runStatements(statementsOf(changes), tx);

export const applyEvent = async (event: ReportingEvent, position: number, tx: PoolClient): Promise<void> => {
  const change = changeOf(event, position);
  if (change) await applyChanges([change], tx);
};
