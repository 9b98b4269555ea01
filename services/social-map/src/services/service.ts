// A social-map service (HSDS `service`): an activity or offer a welzijnscoach can link a patient to.
// Every change is an event with who made it and when, so an entry's history can be shown.
import type { CapacityStatus } from '@wor/contracts';
import { IllegalStateError, NotFoundError } from '@wor/event-store';
import { sameJson } from '../hsds/ids';
import type { ServiceEntry } from '../hsds/input';
import { upcastServiceEvent, type StoredServiceEvent } from './upcast';

/** `by` is the key-user's account id (the token subject); it never leaves the event store. */
type Who = { at: string; by: string };

export type SocialMapServiceEvent =
  | {
      type: 'ServicePublished';
      data: {
        serviceId: string;
        municipality: string;
        entry: ServiceEntry;
        capacity: CapacityStatus;
        publishedAt: string;
        publishedBy: string;
        /** When the entry was last checked, if before publication (an imported HSDS `assured_date`). */
        assuredAt?: string;
      };
    }
  | {
      type: 'ServiceUpdated';
      data: { serviceId: string; municipality: string; entry: ServiceEntry; updatedAt: string; updatedBy: string };
    }
  | {
      type: 'CapacityChanged';
      data: { serviceId: string; municipality: string; capacity: CapacityStatus; changedAt: string; changedBy: string };
    }
  | {
      type: 'ServiceReviewed';
      data: { serviceId: string; municipality: string; reviewedAt: string; reviewedBy: string };
    }
  | { type: 'ServiceRetired'; data: { serviceId: string; municipality: string; retiredAt: string; retiredBy: string } };

export type SocialMapServiceCommand =
  | {
      type: 'PublishService';
      data: { municipality: string; entry: ServiceEntry; capacity: CapacityStatus; by: string; assuredAt?: string };
      metadata: { now: Date };
    }
  | { type: 'UpdateService'; data: { entry: ServiceEntry; by: string }; metadata: { now: Date } }
  | {
      type: 'ChangeCapacity';
      data: { serviceId: string; capacity: CapacityStatus; by: string };
      metadata: { now: Date };
    }
  | { type: 'ReviewService'; data: { serviceId: string; by: string }; metadata: { now: Date } }
  | { type: 'RetireService'; data: { serviceId: string; by: string }; metadata: { now: Date } };

export type Listed = {
  municipality: string;
  entry: ServiceEntry;
  capacity: CapacityStatus;
  /** Last time a key-user published, updated or confirmed the entry: the basis of staleness. */
  reviewedAt: string;
  published: Who;
};
export type SocialMapService = { status: 'none' } | ({ status: 'published' | 'retired' } & Listed);

export const initialState = (): SocialMapService => ({ status: 'none' });

const same = sameJson;

const published = (state: SocialMapService, serviceId: string): Listed => {
  if (state.status === 'none') throw new NotFoundError(`Service ${serviceId} is not on the map`);
  if (state.status === 'retired') throw new IllegalStateError(`Service ${serviceId} is retired`);
  return state;
};

export const decide = (command: SocialMapServiceCommand, state: SocialMapService): SocialMapServiceEvent[] => {
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'PublishService': {
      const { municipality, entry, capacity, by, assuredAt } = command.data;
      if (state.status !== 'none') throw new IllegalStateError(`Service ${entry.id} is already ${state.status}`);
      const assured = assuredAt !== undefined && assuredAt < at ? { assuredAt } : {};
      return [
        {
          type: 'ServicePublished',
          data: { serviceId: entry.id, municipality, entry, capacity, publishedAt: at, publishedBy: by, ...assured },
        },
      ];
    }
    case 'UpdateService': {
      const { entry, by } = command.data;
      const current = published(state, entry.id);
      // Saving an unchanged entry confirms it is still right: a review, not an update.
      if (same(current.entry, entry))
        return [
          {
            type: 'ServiceReviewed',
            data: { serviceId: entry.id, municipality: current.municipality, reviewedAt: at, reviewedBy: by },
          },
        ];
      return [
        {
          type: 'ServiceUpdated',
          data: { serviceId: entry.id, municipality: current.municipality, entry, updatedAt: at, updatedBy: by },
        },
      ];
    }
    case 'ChangeCapacity': {
      const { serviceId, capacity, by } = command.data;
      const current = published(state, serviceId);
      if (current.capacity === capacity) return [];
      return [
        {
          type: 'CapacityChanged',
          data: { serviceId, municipality: current.municipality, capacity, changedAt: at, changedBy: by },
        },
      ];
    }
    case 'ReviewService': {
      const { serviceId, by } = command.data;
      const current = published(state, serviceId);
      return [
        {
          type: 'ServiceReviewed',
          data: { serviceId, municipality: current.municipality, reviewedAt: at, reviewedBy: by },
        },
      ];
    }
    case 'RetireService': {
      const { serviceId, by } = command.data;
      if (state.status === 'retired') return []; // retiring twice changes nothing
      const current = published(state, serviceId);
      return [
        {
          type: 'ServiceRetired',
          data: { serviceId, municipality: current.municipality, retiredAt: at, retiredBy: by },
        },
      ];
    }
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
};

export const evolve = (
  state: SocialMapService,
  stored: SocialMapServiceEvent | StoredServiceEvent,
): SocialMapService => {
  const event = upcastServiceEvent(stored);
  switch (event.type) {
    case 'ServicePublished': {
      const { municipality, entry, capacity, publishedAt, publishedBy, assuredAt } = event.data;
      return {
        status: 'published',
        municipality,
        entry,
        capacity,
        reviewedAt: assuredAt ?? publishedAt,
        published: { at: publishedAt, by: publishedBy },
      };
    }
    case 'ServiceUpdated':
      return state.status === 'none' ? state : { ...state, entry: event.data.entry, reviewedAt: event.data.updatedAt };
    case 'CapacityChanged':
      return state.status === 'none' ? state : { ...state, capacity: event.data.capacity };
    case 'ServiceReviewed':
      return state.status === 'none' ? state : { ...state, reviewedAt: event.data.reviewedAt };
    case 'ServiceRetired':
      return state.status === 'none' ? state : { ...state, status: 'retired' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

export const serviceStreamId = (serviceId: string): string => `service-${serviceId}`;
export const serviceDecider = { decide, evolve, initialState };
