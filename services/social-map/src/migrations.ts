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

const searchIndexes = `
  -- Search at 10,000+ services (issue 18): trigram index for the infix patterns (koor in buurtkoor), so a
  -- text search reads its matches from indexes (with map_services_search) instead of every row; GIN on
  -- languages for the language filter. pg_trgm is a trusted extension, shared by the cluster's schemas:
  -- it is created once in public (under a cluster-wide lock, as services migrate concurrently) or used
  -- where it already is. Without pg_trgm (not on the server, or no privilege to create it) the search
  -- works the same, only slower.
  CREATE INDEX IF NOT EXISTS map_services_languages ON map_services USING gin (languages);
  DO $$
  DECLARE ext_schema text;
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('wor-create-extension:pg_trgm'));
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')
      AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')
      AND EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
      BEGIN
        CREATE EXTENSION pg_trgm SCHEMA public;
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'no privilege to create pg_trgm: searching without the trigram index';
      END;
    END IF;
    SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname = 'pg_trgm';
    IF ext_schema IS NULL THEN
      RAISE NOTICE 'pg_trgm is not available: map_services_haystack_trgm not created';
    ELSE
      EXECUTE format('CREATE INDEX IF NOT EXISTS map_services_haystack_trgm ON map_services USING gin (haystack %I.gin_trgm_ops)', ext_schema);
    END IF;
  END $$;`;

// A word: a maximal run of characters that are not whitespace or ASCII punctuation. Only such characters
// are split on, so a query word (letters and digits) found inside `haystack` lies inside one word.
const wordsIn = (text: string) => `regexp_split_to_table(${text}, '[\\s!-/:-@\\[-\`{-~]+') w WHERE w <> ''`;
// A word's key in the words index: the word, or for one longer than 200 characters (a GIN entry has a
// size limit) its SHA-256, after a space no word contains.
const WORD_KEY = `CASE WHEN length(w) <= 200 THEN w ELSE ' ' || encode(sha256(convert_to(w, 'UTF8')), 'hex') END`;

const searchWords = `
  -- Parts of compounds (koor in buurtkoor) without LIKE on every row (issue 18, bench/README.md): each
  -- service keeps the keys of its words, and map_search_words every word any service has had, so a search
  -- finds the words containing a query word in that short list and then the services with one of them
  -- through map_services_words (exact, where the trigram index on haystack had to recheck its candidates).
  -- The keys are kept as tsvectors, unnormalised: @@ finds a key by binary search, twice as fast as &&.
  CREATE OR REPLACE FUNCTION map_words_of(text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT ${WORD_KEY}), '{}') FROM ${wordsIn('$1')} $$;
  CREATE OR REPLACE FUNCTION map_vocabulary_of(text) RETURNS TABLE (word text, key text) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT w, ${WORD_KEY} FROM ${wordsIn('$1')} $$;
  ALTER TABLE map_services
    ADD COLUMN IF NOT EXISTS words tsvector GENERATED ALWAYS AS (array_to_tsvector(map_words_of(haystack))) STORED,
    ADD COLUMN IF NOT EXISTS name_words tsvector GENERATED ALWAYS AS (array_to_tsvector(map_words_of(lower(name)))) STORED;
  CREATE INDEX IF NOT EXISTS map_services_words ON map_services USING gin (words);
  DROP INDEX IF EXISTS map_services_haystack_trgm;
  -- Never emptied by the projection: a word no service has any more only lengthens a search's word list.
  CREATE TABLE IF NOT EXISTS map_search_words (word text NOT NULL, key text NOT NULL);
  CREATE INDEX IF NOT EXISTS map_search_words_word ON map_search_words USING hash (word);
  INSERT INTO map_search_words (word, key)
    SELECT DISTINCT v.word, v.key FROM map_services, map_vocabulary_of(haystack || ' ' || lower(name)) v
    WHERE NOT EXISTS (SELECT 1 FROM map_search_words s WHERE s.word = v.word);
  DO $$
  DECLARE ext_schema text;
  BEGIN
    SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname = 'pg_trgm';
    IF ext_schema IS NOT NULL THEN
      EXECUTE format('CREATE INDEX IF NOT EXISTS map_search_words_trgm ON map_search_words USING gin (word %I.gin_trgm_ops)', ext_schema);
    END IF;
  END $$;`;

export const socialMapMigrations: readonly Migration[] = [
  migration('initial-layout', eventStoreTables(), messagingTables(), projectorTables(), directory, statistics),
  migration('search-indexes', searchIndexes),
  migration('search-words', searchWords),
];

export const migrateSocialMap = (pool: Pool, schema: string): Promise<MigrationResult> =>
  runMigrations(pool, schema, socialMapMigrations);
