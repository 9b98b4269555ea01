// Picks the adapter behind the port from configuration: services call this one factory and never
// know which store holds their events. Relays, consumers and projections only use the port (readAll
// with opaque checkpoints), and their checkpoint tables stay in PostgreSQL either way.
import type { Pool } from 'pg';
import { createEventStoreDbEventStore, streamPrefixFor, validateStreamPrefix } from '@wor/event-store-eventstoredb';
import type { EventStore } from '@wor/event-store';
import { createPostgresEventStore } from '@wor/event-store-postgres';

export const EVENT_STORE_KINDS = ['postgres', 'eventstoredb'] as const;
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];

/** Which store a service uses; part of its configuration (see service-kit `EVENT_STORE`). */
export type EventStoreSelection =
  | Readonly<{ kind?: 'postgres' }>
  | Readonly<{
      kind: 'eventstoredb';
      /** `esdb://` or `esdb+discover://` connection string. */
      eventStoreUrl: string;
      /** Namespace of the service's streams; defaults to the schema name and a dot. */
      streamPrefix?: string;
    }>;

export type CreateEventStoreOptions = EventStoreSelection &
  Readonly<{
    /** The service's pool (PostgreSQL store; owned by the caller). */
    pool: Pool;
    /** The service's schema: the PostgreSQL store's tables, the EventStoreDB default stream prefix. */
    schema: string;
  }>;

const ESDB_URL = /^esdb(\+discover)?:\/\/\S+$/;

/** Throws a message naming what is wrong (never the URL itself: it may carry credentials). */
export const validateEventStoreSelection = (selection: EventStoreSelection): void => {
  const kind: unknown = selection.kind ?? 'postgres';
  if (!EVENT_STORE_KINDS.includes(kind as EventStoreKind)) {
    throw new Error(`Unknown event store ${JSON.stringify(kind)} (expected ${EVENT_STORE_KINDS.join(' or ')})`);
  }
  if (selection.kind !== 'eventstoredb') return;
  if (!selection.eventStoreUrl) throw new Error('The EventStoreDB store needs a connection string (EVENTSTORE_URL)');
  if (!ESDB_URL.test(selection.eventStoreUrl)) {
    throw new Error('The EventStoreDB connection string must start with esdb:// or esdb+discover://');
  }
  if (selection.streamPrefix !== undefined) validateStreamPrefix(selection.streamPrefix);
};

export const createEventStore = (options: CreateEventStoreOptions): EventStore => {
  validateEventStoreSelection(options);
  if (options.kind === 'eventstoredb') {
    return createEventStoreDbEventStore({
      connectionString: options.eventStoreUrl,
      streamPrefix: options.streamPrefix ?? streamPrefixFor(options.schema),
    });
  }
  return createPostgresEventStore({ pool: options.pool, schema: options.schema });
};
