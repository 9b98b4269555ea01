// Imports a validated data set in ONE PostgreSQL transaction: every organisation, location and service
// goes through its own decider, and if any command is refused nothing is stored (all-or-nothing).
import { randomUUID } from 'node:crypto';
import { handleCommand, type EventMetadata, type EventStore } from '@wor/event-store';
import { createPostgresEventStore, withTransaction } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';
import { normaliseLocation, normaliseOrganization, normaliseService } from '../hsds/input';
import {
  organizationDecider,
  organizationStreamId,
  type Organization,
  type OrganizationEvent,
} from '../organizations/organization';
import { serviceDecider, serviceStreamId, type SocialMapService } from '../services/service';
import type { StoredServiceEvent } from '../services/upcast';
import type { ParsedDataSet, RowError } from './data-set';
import { dataSetTablesDecider, dataSetTablesStreamId } from './data-set-tables';

/** An HSDS `assured_date` (the last check of the entry) as the review the staleness counts from. */
const assuredAt = (value: unknown): string | undefined => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const at = new Date(value.length === 10 ? `${value}T00:00:00.000Z` : value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
};

export type ImportSummary = {
  created: Record<'organizations' | 'locations' | 'services', number>;
  updated: Record<'organizations' | 'locations' | 'services', number>;
};

/** `last`: the stream and version appended last, for the caller to wait for the directory. */
export type ImportResult =
  | { ok: true; summary: ImportSummary; last: { streamId: string; version: number } | null }
  | { ok: false; errors: RowError[] };

type ImportOptions = {
  pool: Pool;
  schema: string;
  municipality: string;
  by: string;
  now: Date;
  metadata: EventMetadata;
};

/** Thrown inside the transaction so that it rolls back; the caller gets the rows' errors as its answer. */
class RefusedRows extends Error {
  constructor(readonly errors: RowError[]) {
    super('rows refused');
  }
}

export const importDataSet = async (options: ImportOptions, data: ParsedDataSet): Promise<ImportResult> => {
  try {
    return await withTransaction(options.pool, (client) => importInTransaction(client, options, data));
  } catch (error) {
    if (error instanceof RefusedRows) return { ok: false, errors: error.errors };
    throw error;
  }
};

const importInTransaction = async (
  client: PoolClient,
  options: ImportOptions,
  data: ParsedDataSet,
): Promise<ImportResult> => {
  const { schema, municipality, by, now, metadata } = options;
  // The PostgreSQL adapter only calls `query` on what it is given; handing it this transaction's
  // client makes every append part of one transaction.
  const inTransaction = createPostgresEventStore({ pool: client as unknown as Pool, schema });
  let last: { streamId: string; version: number } | null = null;
  const store: EventStore = {
    ...inTransaction,
    append: async (streamId, events, options) => {
      const result = await inTransaction.append(streamId, events, options);
      if (events.length > 0) last = { streamId, version: result.nextExpectedVersion };
      return result;
    },
  };
  const errors: RowError[] = [];
  const summary: ImportSummary = {
    created: { organizations: 0, locations: 0, services: 0 },
    updated: { organizations: 0, locations: 0, services: 0 },
  };
  const refuse = (entity: RowError['entity'], index: number, id: string, error: unknown) =>
    errors.push({ entity, index, id, path: 'id', reason: error instanceof Error ? error.message : String(error) });

  for (const [index, row] of data.organizations.entries()) {
    const { locations, ...input } = row;
    const id = input.id ?? randomUUID();
    const entry = normaliseOrganization(input, id);
    try {
      const { events } = await store.readStream<OrganizationEvent>(organizationStreamId(id));
      const state = events.reduce<Organization>(organizationDecider.evolve, organizationDecider.initialState());
      if (state.status === 'registered' && state.municipality !== municipality)
        throw new Error(`organization ${id} belongs to another municipality's map`);
      const command =
        state.status === 'none'
          ? ({ type: 'RegisterOrganization', data: { municipality, entry, by }, metadata: { now } } as const)
          : ({ type: 'UpdateOrganization', data: { entry, by }, metadata: { now } } as const);
      const result = await handleCommand(store, organizationStreamId(id), organizationDecider, command, { metadata });
      if (state.status === 'none') summary.created.organizations++;
      else if (result.newEvents.length > 0) summary.updated.organizations++;
      for (const location of locations) {
        const saved = await handleCommand(
          store,
          organizationStreamId(id),
          organizationDecider,
          {
            type: 'SaveLocation',
            data: { organizationId: id, location: normaliseLocation(location, location.id ?? randomUUID()), by },
            metadata: { now },
          },
          { metadata },
        );
        for (const e of saved.newEvents) summary[e.type === 'LocationRegistered' ? 'created' : 'updated'].locations++;
      }
    } catch (error) {
      refuse('organizations', index, id, error);
    }
  }
  for (const [index, row] of data.services.entries()) {
    const id = row.id ?? randomUUID();
    const entry = normaliseService(row, id);
    try {
      const { events } = await store.readStream<StoredServiceEvent>(serviceStreamId(id));
      const state = events.reduce<SocialMapService>(serviceDecider.evolve, serviceDecider.initialState());
      if (state.status !== 'none' && state.municipality !== municipality)
        throw new Error(`service ${id} belongs to another municipality's map`);
      if (state.status === 'none') {
        await handleCommand(
          store,
          serviceStreamId(id),
          serviceDecider,
          {
            type: 'PublishService',
            data: {
              municipality,
              entry,
              capacity: row.capacity_status ?? 'available',
              by,
              ...(assuredAt(row.assured_date) ? { assuredAt: assuredAt(row.assured_date) } : {}),
            },
            metadata: { now },
          },
          { metadata },
        );
        summary.created.services++;
        continue;
      }
      const updated = await handleCommand(
        store,
        serviceStreamId(id),
        serviceDecider,
        { type: 'UpdateService', data: { entry, by }, metadata: { now } },
        { metadata },
      );
      if (updated.newEvents.some((e) => e.type === 'ServiceUpdated')) summary.updated.services++;
      if (row.capacity_status)
        await handleCommand(
          store,
          serviceStreamId(id),
          serviceDecider,
          { type: 'ChangeCapacity', data: { serviceId: id, capacity: row.capacity_status, by }, metadata: { now } },
          { metadata },
        );
    } catch (error) {
      refuse('services', index, id, error);
    }
  }
  await handleCommand(
    store,
    dataSetTablesStreamId(municipality),
    dataSetTablesDecider,
    { type: 'SaveDataSetTables', data: { municipality, tables: data.tables, by }, metadata: { now } },
    { metadata },
  );
  if (errors.length > 0) throw new RefusedRows(errors);
  return { ok: true, summary, last };
};
