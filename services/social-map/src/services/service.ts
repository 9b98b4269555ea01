// A social-map service (HSDS `service`): an activity or offer a welzijnscoach can link a patient to.
// Every change is an event with who made it and when, so an entry's history can be shown.
import type { PositiveHealthDimension } from '@wor/contracts';
import { IllegalStateError } from '@wor/event-store';

export type ServiceDetails = Readonly<{
  serviceId: string;
  organizationId: string;
  name: string;
  description: string;
  municipality: string;
  /** wijk (district) names the service is meant for; empty means the whole municipality. */
  districts: string[];
  dimensions: PositiveHealthDimension[];
  freeOfCharge: boolean;
}>;

export type SocialMapServiceEvent = {
  type: 'ServicePublished';
  data: ServiceDetails & { publishedAt: string; publishedBy: string };
};

export type SocialMapServiceCommand = {
  type: 'PublishService';
  data: ServiceDetails & { publishedBy: string };
  metadata: { now: Date };
};

export type SocialMapService = { status: 'none' } | { status: 'published'; details: ServiceDetails };

export const initialState = (): SocialMapService => ({ status: 'none' });

export const decide = (command: SocialMapServiceCommand, state: SocialMapService): SocialMapServiceEvent[] => {
  const { type, data, metadata } = command;
  switch (type) {
    case 'PublishService':
      if (state.status !== 'none') throw new IllegalStateError(`Service ${data.serviceId} is already ${state.status}`);
      return [{ type: 'ServicePublished', data: { ...data, publishedAt: metadata.now.toISOString() } }];
    default: {
      const _exhaustive: never = type;
      throw new Error(`Unknown command ${String(_exhaustive)}`);
    }
  }
};

export const evolve = (state: SocialMapService, event: SocialMapServiceEvent): SocialMapService => {
  switch (event.type) {
    case 'ServicePublished': {
      const { publishedAt: _at, publishedBy: _by, ...details } = event.data;
      return { status: 'published', details };
    }
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
};

export const serviceStreamId = (serviceId: string): string => `service-${serviceId}`;
