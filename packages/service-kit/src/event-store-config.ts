// Which event store a service runs on: one variable per service, EVENT_STORE=postgres (default) or
// eventstoredb with EVENTSTORE_URL. Validated with the rest of the configuration at start.
import type { EventStoreSelection } from './create-event-store';
import { z } from 'zod';

export const EventStoreEnv = {
  EVENT_STORE: z.enum(['postgres', 'eventstoredb']).default('postgres'),
  EVENTSTORE_URL: z
    .string()
    .regex(/^esdb(\+discover)?:\/\/\S+$/, 'an esdb:// or esdb+discover:// connection string')
    .optional(),
};

type EventStoreConfig = { EVENT_STORE: 'postgres' | 'eventstoredb'; EVENTSTORE_URL?: string | undefined };

/** Adds "EVENTSTORE_URL is missing" when EVENT_STORE=eventstoredb, also alongside other problems. */
export const requireEventStoreUrl = <S extends z.ZodType<EventStoreConfig>>(schema: S) =>
  schema.refine((config) => config.EVENT_STORE !== 'eventstoredb' || config.EVENTSTORE_URL !== undefined, {
    path: ['EVENTSTORE_URL'],
    message: 'required when EVENT_STORE=eventstoredb',
    // Run even when other variables are invalid, so every problem is named at once.
    when: (payload) => {
      const value = payload.value as Partial<EventStoreConfig> | undefined;
      return value?.EVENT_STORE === 'eventstoredb' && value.EVENTSTORE_URL === undefined;
    },
  });

/** The factory's selection; the EventStoreDB stream prefix defaults to the service's schema. */
export const eventStoreSelection = (config: EventStoreConfig): EventStoreSelection =>
  config.EVENT_STORE === 'eventstoredb'
    ? { kind: 'eventstoredb', eventStoreUrl: config.EVENTSTORE_URL as string }
    : { kind: 'postgres' };
