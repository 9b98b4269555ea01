// The social map schema's history (docs/operations.md#schema-migrations). Applied migrations never
// change: a schema change is a new entry at the end. Migration 1 is the layout before migrations had a
// record; its IF NOT EXISTS makes it a no-op on such a database, which then continues from 2.
import { eventStoreTables, projectorTables } from '@wor/event-store-postgres';
import { messagingTables } from '@wor/messaging';
import { migration, runMigrations, type Migration, type MigrationResult } from '@wor/migrations';
import type { Pool } from 'pg';

const directory = `
  -- The directory's read models (directory/); service_list was the thin slice's.
  DROP TABLE IF EXISTS service_list;
  CREATE TABLE IF NOT EXISTS map_organizations (
    id uuid PRIMARY KEY,
    municipality text NOT NULL,
    name text NOT NULL,
    entry jsonb NOT NULL,
    doc jsonb NOT NULL);
  CREATE INDEX IF NOT EXISTS map_organizations_municipality ON map_organizations (municipality, name);
  CREATE TABLE IF NOT EXISTS map_locations (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL,
    municipality text NOT NULL,
    entry jsonb NOT NULL,
    doc jsonb NOT NULL);
  CREATE INDEX IF NOT EXISTS map_locations_municipality ON map_locations (municipality);
  CREATE TABLE IF NOT EXISTS map_services (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL,
    municipality text NOT NULL,
    name text NOT NULL,
    retired boolean NOT NULL,
    capacity text NOT NULL,
    wijken text[] NOT NULL,
    dimensions text[] NOT NULL,
    reasons text[] NOT NULL,
    languages text[] NOT NULL,
    minimum_age int,
    maximum_age int,
    free boolean NOT NULL,
    reviewed_at timestamptz NOT NULL,
    last_modified timestamptz NOT NULL,
    entry jsonb NOT NULL,
    doc jsonb NOT NULL,
    search tsvector NOT NULL,
    -- lower-cased texts for parts of Dutch compounds the stemmer cannot split (koor in buurtkoor)
    haystack text NOT NULL);
  CREATE INDEX IF NOT EXISTS map_services_search ON map_services USING gin (search);
  CREATE INDEX IF NOT EXISTS map_services_municipality ON map_services (municipality, retired);
  CREATE INDEX IF NOT EXISTS map_services_dimensions ON map_services USING gin (dimensions);
  CREATE INDEX IF NOT EXISTS map_services_reasons ON map_services USING gin (reasons);
  CREATE INDEX IF NOT EXISTS map_services_organization ON map_services (organization_id);
  CREATE TABLE IF NOT EXISTS map_stream_versions (stream_id text PRIMARY KEY, version int NOT NULL);
  CREATE TABLE IF NOT EXISTS map_service_at_locations (
    id uuid PRIMARY KEY,
    service_id uuid NOT NULL,
    location_id uuid NOT NULL,
    municipality text NOT NULL,
    description text);
  CREATE INDEX IF NOT EXISTS map_service_at_locations_service ON map_service_at_locations (service_id);`;

const statistics = `
  -- Views and referral links per service and month (statistics/).
  CREATE TABLE IF NOT EXISTS map_views (service_id uuid NOT NULL, month text NOT NULL, views int NOT NULL, PRIMARY KEY (service_id, month));
  CREATE TABLE IF NOT EXISTS map_links (service_id uuid NOT NULL, month text NOT NULL, links int NOT NULL, PRIMARY KEY (service_id, month));`;

export const socialMapMigrations: readonly Migration[] = [
  migration('initial-layout', eventStoreTables(), messagingTables(), projectorTables(), directory, statistics),
];

export const migrateSocialMap = (pool: Pool, schema: string): Promise<MigrationResult> =>
  runMigrations(pool, schema, socialMapMigrations);
