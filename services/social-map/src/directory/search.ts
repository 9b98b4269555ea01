// Search for coaches: Dutch full text (PostgreSQL 'dutch' configuration, word prefixes so "wandel"
// finds "wandelgroep") combined with filters on municipality and wijk, Positieve Gezondheid dimension,
// referral reason, age, cost and language. Ranked by text relevance, then a service meant for the
// asked wijk before municipality-wide ones; full and stale entries sink but stay visible, flagged.
import type { CapacityStatus } from '@wor/contracts';
import type { Pool } from 'pg';
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

export const searchServices = async (
  pool: Pool,
  filter: ServiceFilter,
  paging: { page: number; perPage: number },
  now: Date,
): Promise<{ total: number; contents: FoundService[] }> => {
  const query = filter.search === undefined ? null : toPrefixQuery(filter.search);
  const infixes = filter.search === undefined ? null : toInfixPatterns(filter.search);
  // Rank and count on the narrow columns first, then fetch the HSDS documents of one page only.
  const { rows } = await pool.query<{ doc: HsdsService; stale: boolean; total: string }>(
    `WITH q AS (SELECT CASE WHEN $1::text IS NULL THEN NULL ELSE to_tsquery('dutch', $1::text) END AS query),
     ranked AS (
       SELECT id, name, reviewed_at < $2::timestamptz - ${STALE_AFTER} AS stale, count(*) OVER () AS total,
         -- text relevance (stemmed words in name > description > the rest; parts of compounds count less),
         -- then multiplied: the asked wijk's own services up, full and stale ones down
         (CASE WHEN q.query IS NULL AND $17::text[] IS NULL THEN 1 ELSE
            coalesce(ts_rank_cd(search, q.query, 1) * 10, 0)
            + CASE WHEN lower(name) LIKE ANY ($17) THEN 1 ELSE 0 END
            + CASE WHEN haystack LIKE ANY ($17) THEN 0.5 ELSE 0 END + 0.1 END)
         * CASE WHEN $5::text IS NOT NULL AND $5 = ANY (wijken) THEN 1.5 ELSE 1 END
         * CASE capacity WHEN 'full' THEN 0.4 WHEN 'limited' THEN 0.8 ELSE 1 END
         * CASE WHEN reviewed_at < $2::timestamptz - ${STALE_AFTER} THEN 0.7 ELSE 1 END AS score
       FROM map_services, q
       WHERE ($3::boolean OR NOT retired)
         AND ($4::text IS NULL OR municipality = $4)
         AND ($5::text IS NULL OR cardinality(wijken) = 0 OR $5 = ANY (wijken))
         AND ($6::text[] IS NULL OR dimensions && $6)
         AND ($7::text[] IS NULL OR reasons && $7)
         AND ($8::int IS NULL OR ((minimum_age IS NULL OR minimum_age <= $8) AND (maximum_age IS NULL OR maximum_age >= $8)))
         AND ($9::boolean IS NULL OR free = $9)
         AND ($10::text IS NULL OR $10 = ANY (languages))
         AND ($11::text[] IS NULL OR capacity = ANY ($11))
         AND ($12::uuid IS NULL OR organization_id = $12)
         AND ($13::timestamptz IS NULL OR last_modified >= $13)
         AND (NOT $14::boolean OR reviewed_at < $2::timestamptz - ${STALE_AFTER})
         AND (q.query IS NULL OR search @@ q.query OR haystack LIKE ANY ($17::text[]))
         AND ($18::text IS NULL OR doc->'attributes' @> jsonb_build_array(jsonb_build_object('taxonomy_term_id', $18::text)))
         AND ($19::text IS NULL OR doc->'attributes'
           @> jsonb_build_array(jsonb_build_object('taxonomy_term', jsonb_build_object('taxonomy_id', $19::text))))
       ORDER BY score DESC, name, id
       LIMIT $15 OFFSET $16)
     SELECT s.doc, r.stale, r.total FROM ranked r JOIN map_services s ON s.id = r.id
     ORDER BY r.score DESC, r.name, r.id`,
    [
      query,
      now.toISOString(),
      filter.includeRetired ?? false,
      filter.municipality ?? null,
      filter.wijk?.toLowerCase() ?? null,
      filter.dimensions ?? null,
      filter.reasons ?? null,
      filter.age ?? null,
      filter.free ?? null,
      filter.language ?? null,
      filter.capacity ?? null,
      filter.organizationId ?? null,
      filter.modifiedAfter ?? null,
      filter.staleOnly ?? false,
      paging.perPage,
      (paging.page - 1) * paging.perPage,
      infixes,
      filter.attributeTermId ?? null,
      filter.attributeTaxonomyId ?? null,
    ],
  );
  // count(*) OVER () is absent when the page is past the end; count again only then.
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && paging.page > 1)
    total = (await searchServices(pool, filter, { page: 1, perPage: 1 }, now)).total;
  return { total, contents: rows.map((r) => ({ ...r.doc, stale: r.stale })) };
};
