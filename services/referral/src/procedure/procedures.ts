// Recording and reading Procedures, for the FHIR API. The referral is loaded (and the caller's party
// check made, a non-party's attempt logged as denied) by the caller of these functions.
import { handleCommand, type EventStore } from '@wor/event-store';
import type { Actor, LoadedReferral } from '../referral/application';
import {
  initialProcedures,
  proceduresDecider,
  procedureStreamId,
  type ProcedureEvent,
  type ProcedureFacts,
  type RecordedProcedure,
} from './procedure';

/** Every Procedure recorded for a referral, oldest first. */
export const readProcedures = async (store: EventStore, referralId: string): Promise<readonly RecordedProcedure[]> => {
  const { events } = await store.readStream<ProcedureEvent>(procedureStreamId(referralId));
  return events.reduce(proceduresDecider.evolve, initialProcedures()).procedures;
};

export const createProcedures = (deps: Readonly<{ store: EventStore; now: () => Date }>) => {
  const { store, now } = deps;
  return {
    of: (referralId: string) => readProcedures(store, referralId),

    /** Records a Procedure by the welfare organisation of the referral (concurrent records are decided again). */
    async record(referral: LoadedReferral, actor: Actor, facts: ProcedureFacts): Promise<RecordedProcedure> {
      const { state } = referral;
      const { newEvents } = await handleCommand(
        store,
        procedureStreamId(state.referralId),
        proceduresDecider,
        {
          type: 'RecordProcedure',
          data: {
            ...facts,
            referral: {
              referralId: state.referralId,
              subjectId: state.subjectId,
              status: state.status,
              organisationId: state.recipientOrganisationId,
            },
          },
          metadata: { now: now(), by: actor.userId },
        },
        { metadata: actor.metadata },
      );
      return { ...newEvents[0]!.data, version: 0 };
    },
  };
};

export type Procedures = ReturnType<typeof createProcedures>;
