// The data subject as this service sees them: only whether and when they were erased (AVG art. 17).
import { IllegalStateError } from '@wor/event-store';

export type SubjectEvent = {
  type: 'SubjectErased';
  data: { subjectId: string; erasedAt: string; erasedBy: string; keyDestroyed: boolean };
};
export type SubjectCommand = {
  type: 'EraseSubject';
  data: { subjectId: string; by: string; keyDestroyed: boolean };
  metadata: { now: Date };
};
export type Subject = { erasedAt: string | null };

export const initialState = (): Subject => ({ erasedAt: null });

export const decide = (command: SubjectCommand, state: Subject): SubjectEvent[] => {
  switch (command.type) {
    case 'EraseSubject':
      if (state.erasedAt) throw new IllegalStateError(`The subject was already erased at ${state.erasedAt}`);
      return [
        {
          type: 'SubjectErased',
          data: {
            subjectId: command.data.subjectId,
            erasedAt: command.metadata.now.toISOString(),
            erasedBy: command.data.by,
            keyDestroyed: command.data.keyDestroyed,
          },
        },
      ];
    default: {
      const _exhaustive: never = command.type;
      throw new Error(`Unknown command ${String(_exhaustive)}`);
    }
  }
};

export const evolve = (state: Subject, event: SubjectEvent): Subject => {
  switch (event.type) {
    case 'SubjectErased':
      return { erasedAt: event.data.erasedAt };
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
};

export const subjectStreamId = (subjectId: string): string => `subject-${subjectId}`;
