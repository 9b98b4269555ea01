// An organisation on the map (HSDS `organization`) with its locations (HSDS `location`): one
// aggregate, because a location belongs to exactly one organisation. Every change is an event.
import { IllegalStateError, NotFoundError } from '@wor/event-store';
import { sameJson } from '../hsds/ids';
import type { LocationEntry, OrganizationEntry } from '../hsds/input';

export type OrganizationEvent =
  | {
      type: 'OrganizationRegistered';
      data: {
        organizationId: string;
        municipality: string;
        entry: OrganizationEntry;
        registeredAt: string;
        registeredBy: string;
      };
    }
  | {
      type: 'OrganizationUpdated';
      data: {
        organizationId: string;
        municipality: string;
        entry: OrganizationEntry;
        updatedAt: string;
        updatedBy: string;
      };
    }
  | {
      type: 'LocationRegistered';
      data: {
        organizationId: string;
        municipality: string;
        location: LocationEntry;
        registeredAt: string;
        registeredBy: string;
      };
    }
  | {
      type: 'LocationUpdated';
      data: {
        organizationId: string;
        municipality: string;
        location: LocationEntry;
        updatedAt: string;
        updatedBy: string;
      };
    };

export type OrganizationCommand =
  | {
      type: 'RegisterOrganization';
      data: { municipality: string; entry: OrganizationEntry; by: string };
      metadata: { now: Date };
    }
  | { type: 'UpdateOrganization'; data: { entry: OrganizationEntry; by: string }; metadata: { now: Date } }
  | {
      type: 'SaveLocation';
      data: { organizationId: string; location: LocationEntry; by: string };
      metadata: { now: Date };
    };

export type Organization =
  | { status: 'none' }
  | {
      status: 'registered';
      municipality: string;
      entry: OrganizationEntry;
      locations: Readonly<Record<string, LocationEntry>>;
    };

export const initialState = (): Organization => ({ status: 'none' });

const same = sameJson;

const registered = (state: Organization, organizationId: string) => {
  if (state.status === 'none') throw new NotFoundError(`Organization ${organizationId} is not on the map`);
  return state;
};

export const decide = (command: OrganizationCommand, state: Organization): OrganizationEvent[] => {
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'RegisterOrganization': {
      const { municipality, entry, by } = command.data;
      if (state.status !== 'none') throw new IllegalStateError(`Organization ${entry.id} is already registered`);
      return [
        {
          type: 'OrganizationRegistered',
          data: { organizationId: entry.id, municipality, entry, registeredAt: at, registeredBy: by },
        },
      ];
    }
    case 'UpdateOrganization': {
      const { entry, by } = command.data;
      const current = registered(state, entry.id);
      if (same(current.entry, entry)) return [];
      return [
        {
          type: 'OrganizationUpdated',
          data: { organizationId: entry.id, municipality: current.municipality, entry, updatedAt: at, updatedBy: by },
        },
      ];
    }
    case 'SaveLocation': {
      const { organizationId, location, by } = command.data;
      const current = registered(state, organizationId);
      const existing = current.locations[location.id];
      if (existing === undefined)
        return [
          {
            type: 'LocationRegistered',
            data: { organizationId, municipality: current.municipality, location, registeredAt: at, registeredBy: by },
          },
        ];
      if (same(existing, location)) return [];
      return [
        {
          type: 'LocationUpdated',
          data: { organizationId, municipality: current.municipality, location, updatedAt: at, updatedBy: by },
        },
      ];
    }
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
};

export const evolve = (state: Organization, event: OrganizationEvent): Organization => {
  switch (event.type) {
    case 'OrganizationRegistered':
      return { status: 'registered', municipality: event.data.municipality, entry: event.data.entry, locations: {} };
    case 'OrganizationUpdated':
      return state.status === 'none' ? state : { ...state, entry: event.data.entry };
    case 'LocationRegistered':
    case 'LocationUpdated':
      return state.status === 'none'
        ? state
        : { ...state, locations: { ...state.locations, [event.data.location.id]: event.data.location } };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

export const organizationStreamId = (organizationId: string): string => `organization-${organizationId}`;
export const organizationDecider = { decide, evolve, initialState };
