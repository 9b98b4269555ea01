// Procedures: Gravity's record of what the welfare organisation did for a referral (FHIR Procedure). They
// live in a stream of their own per referral, `procedures-<referralId>`, not in the referral's stream: a
// Procedure is the recipient's record, not a lifecycle step, so recording one leaves the Task's version
// (its ETag) alone and the owner's If-Match from its last update stays valid; the referral's decider,
// projections and integration events do not change. Completion names the Procedures it resulted in
// (ReferralCompleted.procedureIds), so Task.output is a fact of the referral's own stream.
// Codes, references and dates only: free text is refused at the edge (fhir/procedure.ts).
import { IllegalStateError, ValidationError } from '@wor/event-store';
import type { ReferralStatus } from '../referral/events';

export const PROCEDURE_STREAM_PREFIX = 'procedures-';
export const procedureStreamId = (referralId: string): string => `${PROCEDURE_STREAM_PREFIX}${referralId}`;

/** R4 event-status values a recipient may record (unknown and entered-in-error are not records of work). */
export const PROCEDURE_STATUSES = [
  'preparation',
  'in-progress',
  'not-done',
  'on-hold',
  'stopped',
  'completed',
] as const;
export type ProcedureStatus = (typeof PROCEDURE_STATUSES)[number];

export type Code = Readonly<{ system: string; code: string }>;
export type Performed = Readonly<{ dateTime: string } | { start: string; end?: string }>;

export type ProcedureFacts = Readonly<{
  status: ProcedureStatus;
  code: readonly Code[];
  category: readonly Code[];
  statusReason: readonly Code[];
  performed: Performed;
}>;

export type ProcedureRecorded = Readonly<{
  type: 'ProcedureRecorded';
  data: ProcedureFacts & {
    procedureId: string;
    referralId: string;
    subjectId: string;
    organisationId: string;
    recordedAt: string;
    recordedBy: string;
  };
}>;
export type ProcedureEvent = ProcedureRecorded;

export type RecordProcedure = Readonly<{
  type: 'RecordProcedure';
  data: ProcedureFacts & {
    referral: Readonly<{ referralId: string; subjectId: string; status: ReferralStatus; organisationId: string }>;
  };
  metadata: Readonly<{ now: Date; by: string }>;
}>;
export type ProcedureCommand = RecordProcedure;

/** A Procedure as read back; `version` is its own (0: it is written once, never updated). */
export type RecordedProcedure = ProcedureRecorded['data'] & Readonly<{ version: number }>;
export type ProceduresState = Readonly<{ procedures: readonly RecordedProcedure[] }>;

export const initialProcedures = (): ProceduresState => ({ procedures: [] });

/** A referral takes Procedures while the organisation works on it: not before acceptance, not after closure. */
export const RECORDED_IN: readonly ReferralStatus[] = ['accepted', 'in-progress', 'on-hold'];

/** The id of the n-th Procedure of a referral (1-based): the referral id names the stream it lives in. */
export const procedureIdOf = (referralId: string, n: number): string => `${referralId}-${n}`;
const PROCEDURE_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([1-9]\d{0,3})$/;
export const referralIdOfProcedure = (procedureId: string): string | undefined => PROCEDURE_ID.exec(procedureId)?.[1];

export const proceduresDecider = {
  decide: (command: ProcedureCommand, state: ProceduresState) => decideProcedures(command, state),
  evolve: (state: ProceduresState, event: ProcedureEvent) => evolveProcedures(state, event),
  initialState: initialProcedures,
};

export const decideProcedures = (command: ProcedureCommand, state: ProceduresState): ProcedureEvent[] => {
  switch (command.type) {
    case 'RecordProcedure': {
      const { referral, ...facts } = command.data;
      if (!RECORDED_IN.includes(referral.status))
        throw new IllegalStateError(
          `A Procedure is recorded while the referral is accepted, in-progress or on-hold; it is '${referral.status}'.`,
        );
      if (facts.code.length === 0) throw new ValidationError('A Procedure needs a code.');
      return [
        {
          type: 'ProcedureRecorded',
          data: {
            ...facts,
            procedureId: procedureIdOf(referral.referralId, state.procedures.length + 1),
            referralId: referral.referralId,
            subjectId: referral.subjectId,
            organisationId: referral.organisationId,
            recordedAt: command.metadata.now.toISOString(),
            recordedBy: command.metadata.by,
          },
        },
      ];
    }
    default: {
      const exhaustive: never = command.type;
      return exhaustive;
    }
  }
};

/** Folds the stream: one event per Procedure. */
export const evolveProcedures = (state: ProceduresState, event: ProcedureEvent): ProceduresState => {
  switch (event.type) {
    case 'ProcedureRecorded':
      return { procedures: [...state.procedures, { ...event.data, version: 0 }] };
    default: {
      const exhaustive: never = event.type;
      return exhaustive;
    }
  }
};
