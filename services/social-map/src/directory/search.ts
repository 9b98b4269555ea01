// Search for coaches: Dutch full text (PostgreSQL 'dutch' configuration, word prefixes so "wandel"
// finds "wandelgroep") combined with filters on municipality and wijk, Positieve Gezondheid dimension,
// referral reason, age, cost and language. Ranked by text relevance, then a service meant for the
// asked wijk before municipality-wide ones; full and stale entries sink but stay visible, flagged.
import type { CapacityStatus } from '@wor/contracts';
import type { Pool, PoolClient } from 'pg';
import type { HsdsService } from '../hsds/render';

export type ServiceFilter = {
  search?: string | undefined;
  municipality?: string | undefined;
  wijk?: string | undefined;
  dimensions?: string[] | undefined;
  reasons?: string[] | undefined;
  age?: number | undefined;
  free?: boolean | undefined;
  language?: string | undefined;
  capacity?: CapacityStatus[] | undefined;
  organizationId?: string | undefined;
  modifiedAfter?: string | undefined;
  includeRetired?: boolean | undefined;
  /** A term or taxonomy of another system's attributes (the built-in ones filter on the columns above). */
  attributeTermId?: string | undefined;
  attributeTaxonomyId?: string | undefined;
  /** Only entries not reviewed for 12 months (the key-users' to-do list). */
  staleOnly?: boolean | undefined;
};

export type FoundService = HsdsService & { stale: boolean };

const wordsOf = (text: string): string[] =>
  [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 12);

/** Free text → an OR of word prefixes; only letters and digits reach to_tsquery. */
export const toPrefixQuery = (text: string): string | null => {
  const words = wordsOf(text);
  return words.length === 0 ? null : words.map((w) => `${w}:*`).join(' | ');
};

/** LIKE patterns for words of 4+ letters, found inside compounds ("koor" in "buurtkoor"). */
export const toInfixPatterns = (text: string): string[] | null => {
  const words = wordsOf(text).filter((w) => w.length >= 4);
  return words.length === 0 ? null : words.map((w) => `%${w}%`);
};

export const STALE_AFTER = "interval '12 months'";

/** A query word inside a text (LIKE '%word%' on it), answered from the keys of the text's words
 * (migration `search-words`): the query word lies inside one of them, so the text has one of the map's
 * words that contain it, which `q` looks up once in map_search_words. */
const infixIn = (words: 'words' | 'name_words') => `${words} @@ (SELECT words FROM q)`;

/** The keys of the map's words containing a query word, OR'ed as a tsquery (keys hold no quote or
 * backslash); two spaces, no word's key, when there are none. */
const WORDS_CONTAINING = `(SELECT coalesce(string_agg(DISTINCT '''' || key || '''', ' | '), '''  ''')::tsquery
           FROM map_search_words WHERE word LIKE ANY ($3::text[]))`;

/** The WHERE conditions and their parameters, only for the filters given: a condition the caller did not
 * ask for is not in the SQL at all, so the planner can use the index of each one that is (GIN on the
 * tsvector, on the words' keys, the arrays) instead of evaluating `$n IS NULL OR …` on every row. */
const conditionsOf = (filter: ServiceFilter, query: string | null, infixes: string[] | null, params: unknown[]) => {
  const p = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (!filter.includeRetired) where.push('NOT retired');
  if (filter.municipality !== undefined) where.push(`municipality = ${p(filter.municipality)}`);
  if (filter.wijk !== undefined)
    where.push(`(cardinality(wijken) = 0 OR ${p(filter.wijk.toLowerCase())}::text = ANY (wijken))`);
  if (filter.dimensions) where.push(`dimensions && ${p(filter.dimensions)}::text[]`);
  if (filter.reasons) where.push(`reasons && ${p(filter.reasons)}::text[]`);
  if (filter.age !== undefined) {
    const age = p(filter.age);
    where.push(
      `(minimum_age IS NULL OR minimum_age <= ${age}::int) AND (maximum_age IS NULL OR maximum_age >= ${age}::int)`,
    );
  }
  if (filter.free !== undefined) where.push(`free = ${p(filter.free)}::boolean`);
  if (filter.language !== undefined) where.push(`languages @> ARRAY[${p(filter.language)}::text]`);
  if (filter.capacity) where.push(`capacity = ANY (${p(filter.capacity)}::text[])`);
  if (filter.organizationId !== undefined) where.push(`organization_id = ${p(filter.organizationId)}::uuid`);
  if (filter.modifiedAfter !== undefined) where.push(`last_modified >= ${p(filter.modifiedAfter)}::timestamptz`);
  if (filter.staleOnly) where.push('reviewed_at < $1::timestamptz - ' + STALE_AFTER);
  if (query !== null)
    where.push(
      infixes ? `(search @@ (SELECT query FROM q) OR ${infixIn('words')})` : 'search @@ (SELECT query FROM q)',
    );
  if (filter.attributeTermId !== undefined)
    where.push(
      `doc->'attributes' @> jsonb_build_array(jsonb_build_object('taxonomy_term_id', ${p(filter.attributeTermId)}::text))`,
    );
  if (filter.attributeTaxonomyId !== undefined)
    where.push(
      `doc->'attributes' @> jsonb_build_array(jsonb_build_object('taxonomy_term', jsonb_build_object('taxonomy_id', ${p(filter.attributeTaxonomyId)}::text)))`,
    );
  return where.length === 0 ? 'true' : where.join('\n         AND ');
};

/** Connections of which the session already plans for a map in memory. */
const planned = new WeakSet<object>();

/**
 * Runs the search planned for a map held in memory. With PostgreSQL's default random_page_cost (4, for
 * spinning disks) a bitmap scan over the text indexes looks dearer than testing every row, which at
 * 10,000 services costs 2-3 times as much (bench/README.md). The setting (1.1, the usual one for SSDs and
 * cached data) is made once per connection of the pool rather than per search in a transaction: that
 * would add two round trips to each search.
 *
 * A text search reads its matches from the indexes even when they are half the map (`throughIndexes`):
 * the planner prices testing `@@` on every row like any cheap operator, where it costs 4 times the
 * bitmap over the same rows. It is switched off again before the connection goes back to the pool.
 */
const inMemoryPlan = async <T>(
  pool: Pool,
  throughIndexes: boolean,
  work: (db: PoolClient) => Promise<T>,
): Promise<T> => {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    if (!planned.has(client)) {
      await client.query('SET random_page_cost = 1.1');
      planned.add(client);
    }
    if (!throughIndexes) return await work(client);
    await client.query('SET enable_seqscan = off');
    try {
      return await work(client);
    } finally {
      await client.query('RESET enable_seqscan').catch((error: Error) => (broken = error));
    }
  } finally {
    // a connection that may still have seq scans off is closed rather than reused
    client.release(broken);
  }
};

export const searchServices = async (
  pool: Pool,
  filter: ServiceFilter,
  paging: { page: number; perPage: number },
  now: Date,
): Promise<{ total: number; contents: FoundService[] }> => {
  const query = filter.search === undefined ? null : toPrefixQuery(filter.search);
  const infixes = filter.search === undefined ? null : toInfixPatterns(filter.search);
  // $1 now, $2 the text query, $3 the infix patterns, $4 the page size, $5 the offset; then the filters.
  const params: unknown[] = [now.toISOString(), query, infixes, paging.perPage, (paging.page - 1) * paging.perPage];
  const where = conditionsOf(filter, query, infixes, params);
  // Text relevance: stemmed words in name > description > the rest (ts_rank's weights A, B, C; five
  // times cheaper per match than the cover density of ts_rank_cd, and scaled to weigh about as much
  // against the bonuses as it did); parts of compounds count less: 1 in the name, 0.5 anywhere (the name
  // is part of haystack, so the name is only tested when haystack has one). The factors are float8 and
  // applied in this order, so every text score is the same double as it always was (without text the
  // product was numeric: its few levels lie far apart, so the order is the same).
  const rank = 'coalesce(ts_rank(search, (SELECT query FROM q), 1) * 50, 0)';
  const relevance =
    query === null && infixes === null
      ? '1'
      : infixes === null
        ? `(${rank} + 0.1::float8)`
        : `(CASE WHEN ${infixIn('words')}
              THEN (${rank} + CASE WHEN ${infixIn('name_words')} THEN 1 ELSE 0 END) + 0.5::float8
              ELSE ${rank} END + 0.1::float8)`;
  // the asked wijk's own services up (without a wijk every factor is 1), full and stale ones down
  const wijkFactor =
    filter.wijk === undefined
      ? ''
      : `* CASE WHEN $${params.push(filter.wijk.toLowerCase())}::text = ANY (wijken) THEN 1.5::float8 ELSE 1::float8 END`;
  const stale = 'reviewed_at < (SELECT stale_before FROM q)';
  // Rank and count on the narrow columns first, then fetch the HSDS documents of one page only.
  const { rows } = await inMemoryPlan(pool, query !== null, (db) =>
    db.query<{ doc: HsdsService; stale: boolean; total: string }>(
      `WITH q AS (SELECT CASE WHEN $2::text IS NULL THEN NULL ELSE to_tsquery('dutch', $2::text) END AS query,
         ${infixes === null ? 'NULL::tsquery' : WORDS_CONTAINING} AS words,
         $1::timestamptz - ${STALE_AFTER} AS stale_before, $3::text[] AS infixes),
     scored AS (
       SELECT id, name, ${stale} AS stale,
         ${relevance}
         ${wijkFactor}
         * CASE capacity WHEN 'full' THEN 0.4::float8 WHEN 'limited' THEN 0.8::float8 ELSE 1::float8 END
         * CASE WHEN ${stale} THEN 0.7::float8 ELSE 1::float8 END AS score
       FROM map_services
       WHERE ${where}
       OFFSET 0),
     -- scored before counted: the count's window then holds four columns per match, not the whole row
     ranked AS (SELECT *, count(*) OVER () AS total FROM scored ORDER BY score DESC, name, id LIMIT $4 OFFSET $5)
     SELECT s.doc, r.stale, r.total FROM ranked r JOIN map_services s ON s.id = r.id
     ORDER BY r.score DESC, r.name, r.id`,
      params,
    ),
  );
  // count(*) OVER () is absent when the page is past the end; count again only then.
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && paging.page > 1)
    total = (await searchServices(pool, filter, { page: 1, perPage: 1 }, now)).total;
  return { total, contents: rows.map((r) => ({ ...r.doc, stale: r.stale })) };
};
