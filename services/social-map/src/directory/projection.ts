// The directory coaches search and the HSDS API reads: projected from the map's own events. Each
// service row keeps the entry, its HSDS document and the columns search filters and ranks on.
import type { CapacityStatus } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import type { Pool, PoolClient } from 'pg';
import type { ServiceEntry } from '../hsds/input';
import { renderLocation, renderOrganization, renderService } from '../hsds/render';
import type { OrganizationEvent } from '../organizations/organization';
import { upcastServiceEvent, type StoredServiceEvent } from '../services/upcast';

type ServiceRow = {
  municipality: string;
  entry: ServiceEntry;
  capacity: CapacityStatus;
  retired: boolean;
  reviewedAt: string;
  lastModified: string;
};

const loadService = async (tx: PoolClient, id: string): Promise<ServiceRow | undefined> => {
  const { rows } = await tx.query<{
    municipality: string;
    entry: ServiceEntry;
    capacity: CapacityStatus;
    retired: boolean;
    reviewed_at: Date;
    last_modified: Date;
  }>('SELECT municipality, entry, capacity, retired, reviewed_at, last_modified FROM map_services WHERE id = $1', [id]);
  const row = rows[0];
  return row && { ...row, reviewedAt: row.reviewed_at.toISOString(), lastModified: row.last_modified.toISOString() };
};

const saveService = async (tx: PoolClient, row: ServiceRow): Promise<void> => {
  const { entry, municipality, capacity, retired, reviewedAt, lastModified } = row;
  const doc = renderService(entry, { municipality, capacity, retired, reviewedAt, lastModified });
  const codes = entry.languages.flatMap((l) => (l.code ? [l.code.slice(0, 2).toLowerCase()] : []));
  const languages = codes.length > 0 ? codes : ['nl'];
  // The service's words join the search's word list (directory/search.ts) in the same statement.
  await tx.query(
    `WITH saved AS (
     INSERT INTO map_services (id, organization_id, municipality, name, retired, capacity, wijken, dimensions, reasons, languages,
       minimum_age, maximum_age, free, reviewed_at, last_modified, entry, doc, search, haystack)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
       setweight(to_tsvector('dutch', $4), 'A') || setweight(to_tsvector('dutch', $18), 'A') ||
       setweight(to_tsvector('dutch', $19), 'B') || setweight(to_tsvector('dutch', $20), 'C'),
       lower($4 || ' ' || $18 || ' ' || $19 || ' ' || $20))
     ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id, name = EXCLUDED.name, retired = EXCLUDED.retired,
       capacity = EXCLUDED.capacity, wijken = EXCLUDED.wijken, dimensions = EXCLUDED.dimensions, reasons = EXCLUDED.reasons,
       languages = EXCLUDED.languages, minimum_age = EXCLUDED.minimum_age, maximum_age = EXCLUDED.maximum_age, free = EXCLUDED.free,
       reviewed_at = EXCLUDED.reviewed_at, last_modified = EXCLUDED.last_modified, entry = EXCLUDED.entry, doc = EXCLUDED.doc,
       search = EXCLUDED.search, haystack = EXCLUDED.haystack
     RETURNING haystack, name)
     INSERT INTO map_search_words (word, key)
     SELECT DISTINCT v.word, v.key FROM saved, map_vocabulary_of(saved.haystack || ' ' || lower(saved.name)) v
     WHERE NOT EXISTS (SELECT 1 FROM map_search_words s WHERE s.word = v.word)`,
    [
      entry.id,
      entry.organization_id,
      municipality,
      entry.name,
      retired,
      capacity,
      entry.wijken.map((w) => w.toLowerCase()),
      entry.dimensions,
      entry.referral_reasons,
      languages,
      entry.minimum_age ?? null,
      entry.maximum_age ?? null,
      doc.free_of_charge,
      reviewedAt,
      lastModified,
      JSON.stringify(entry),
      JSON.stringify(doc),
      entry.alternate_name ?? '',
      entry.description ?? '',
      [...entry.wijken, entry.eligibility_description ?? '', entry.application_process ?? ''].join(' '),
    ],
  );
  await tx.query('DELETE FROM map_service_at_locations WHERE service_id = $1', [entry.id]);
  for (const sal of entry.service_at_locations)
    if (sal.location_id)
      await tx.query(
        `INSERT INTO map_service_at_locations (id, service_id, location_id, municipality, description) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET service_id = EXCLUDED.service_id, location_id = EXCLUDED.location_id, description = EXCLUDED.description`,
        [sal.id, entry.id, sal.location_id, municipality, sal.description ?? null],
      );
};

const projectServiceEvent = async (stored: StoredServiceEvent, tx: PoolClient): Promise<void> => {
  const event = upcastServiceEvent(stored);
  if (event.type === 'ServicePublished') {
    const { entry, municipality, capacity, publishedAt, assuredAt } = event.data;
    await saveService(tx, {
      entry,
      municipality,
      capacity,
      retired: false,
      reviewedAt: assuredAt ?? publishedAt,
      lastModified: publishedAt,
    });
    return;
  }
  const row = await loadService(tx, event.data.serviceId);
  if (!row) return;
  switch (event.type) {
    case 'ServiceUpdated':
      return saveService(tx, {
        ...row,
        entry: event.data.entry,
        reviewedAt: event.data.updatedAt,
        lastModified: event.data.updatedAt,
      });
    case 'CapacityChanged':
      return saveService(tx, { ...row, capacity: event.data.capacity, lastModified: event.data.changedAt });
    case 'ServiceReviewed':
      return saveService(tx, { ...row, reviewedAt: event.data.reviewedAt });
    case 'ServiceRetired':
      return saveService(tx, { ...row, retired: true, lastModified: event.data.retiredAt });
    default: {
      const _exhaustive: never = event;
    }
  }
};

const projectOrganizationEvent = async (event: OrganizationEvent, tx: PoolClient): Promise<void> => {
  switch (event.type) {
    case 'OrganizationRegistered':
    case 'OrganizationUpdated': {
      const { entry, municipality } = event.data;
      await tx.query(
        `INSERT INTO map_organizations (id, municipality, name, entry, doc) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, entry = EXCLUDED.entry, doc = EXCLUDED.doc`,
        [
          entry.id,
          municipality,
          entry.name,
          JSON.stringify(entry),
          JSON.stringify(renderOrganization(entry, municipality)),
        ],
      );
      return;
    }
    case 'LocationRegistered':
    case 'LocationUpdated': {
      const { location, organizationId, municipality } = event.data;
      await tx.query(
        `INSERT INTO map_locations (id, organization_id, municipality, entry, doc) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET entry = EXCLUDED.entry, doc = EXCLUDED.doc`,
        [
          location.id,
          organizationId,
          municipality,
          JSON.stringify(location),
          JSON.stringify(renderLocation(location, organizationId, municipality)),
        ],
      );
      return;
    }
    default: {
      const _exhaustive: never = event;
    }
  }
};

/** Version of a stream the directory has projected; lets a writer wait for its own change. */
export const projectedVersion = async (pool: Pool, streamId: string): Promise<number> => {
  const { rows } = await pool.query<{ version: number }>(
    'SELECT version FROM map_stream_versions WHERE stream_id = $1',
    [streamId],
  );
  return rows[0]?.version ?? -1;
};

export const projectDirectory = async (events: readonly RecordedEvent[], tx: PoolClient): Promise<void> => {
  const versions = new Map<string, number>();
  for (const recorded of events) {
    versions.set(recorded.streamId, recorded.streamVersion);
    if (recorded.streamId.startsWith('service-'))
      await projectServiceEvent(recorded as unknown as StoredServiceEvent, tx);
    else if (recorded.streamId.startsWith('organization-'))
      await projectOrganizationEvent(recorded as unknown as OrganizationEvent, tx);
    // key-user streams are read directly by the access check and the key-user list
  }
  await tx.query(
    `INSERT INTO map_stream_versions (stream_id, version) SELECT * FROM unnest($1::text[], $2::int[])
     ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version`,
    [[...versions.keys()], [...versions.values()]],
  );
};
