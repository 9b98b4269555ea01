// The key-users of one municipality (seed 000): the municipality's own key-user, signing in with a
// municipal account, appoints colleague key-users without one, and may revoke them. One stream per
// municipality, so appointments and revocations are ordered and never lost.
import { ForbiddenError, NotFoundError } from '@wor/event-store';

export type KeyUserEvent =
  | {
      type: 'KeyUserAppointed';
      data: { municipality: string; keyUserId: string; appointedAt: string; appointedBy: string };
    }
  | { type: 'KeyUserRevoked'; data: { municipality: string; keyUserId: string; revokedAt: string; revokedBy: string } };

/** `actor` is who asks; only an account of the municipality itself may appoint or revoke. */
type Actor = { subject: string; municipalAccount: boolean };

export type KeyUserCommand =
  | { type: 'AppointKeyUser'; data: { municipality: string; keyUserId: string; actor: Actor }; metadata: { now: Date } }
  | { type: 'RevokeKeyUser'; data: { municipality: string; keyUserId: string; actor: Actor }; metadata: { now: Date } };

export type KeyUsers = Readonly<{ active: Readonly<Record<string, { appointedAt: string; appointedBy: string }>> }>;

export const initialState = (): KeyUsers => ({ active: {} });

const requireMunicipalAccount = (actor: Actor): void => {
  if (!actor.municipalAccount)
    throw new ForbiddenError(
      "Only the municipality's key-user with a municipal account appoints or revokes key-users.",
    );
};

export const decide = (command: KeyUserCommand, state: KeyUsers): KeyUserEvent[] => {
  const { municipality, keyUserId, actor } = command.data;
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'AppointKeyUser':
      requireMunicipalAccount(actor);
      if (state.active[keyUserId]) return []; // already appointed: nothing changes
      return [
        { type: 'KeyUserAppointed', data: { municipality, keyUserId, appointedAt: at, appointedBy: actor.subject } },
      ];
    case 'RevokeKeyUser':
      requireMunicipalAccount(actor);
      if (!state.active[keyUserId])
        throw new NotFoundError(`${keyUserId} is not an appointed key-user of ${municipality}`);
      return [{ type: 'KeyUserRevoked', data: { municipality, keyUserId, revokedAt: at, revokedBy: actor.subject } }];
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
};

export const evolve = (state: KeyUsers, event: KeyUserEvent): KeyUsers => {
  switch (event.type) {
    case 'KeyUserAppointed':
      return {
        active: {
          ...state.active,
          [event.data.keyUserId]: { appointedAt: event.data.appointedAt, appointedBy: event.data.appointedBy },
        },
      };
    case 'KeyUserRevoked': {
      const { [event.data.keyUserId]: _revoked, ...rest } = state.active;
      return { active: rest };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

export const keyUsersStreamId = (municipality: string): string => `key-users-${municipality}`;
export const keyUsersDecider = { decide, evolve, initialState };
