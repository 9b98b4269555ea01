// The search's matches, order and totals against a straightforward computation of the same ranking
// (LIKE on the texts, ts_rank, every factor, no index tricks), on a map with compounds, accents, long
// words and punctuation; again after changes to the map and after a rebuild of the directory.
import type { Pool } from 'pg';
import { municipal, organizationBody, serviceBody } from '../testing/fixtures';
import { startHarness, type Harness } from '../testing/harness';
import { searchServices, toInfixPatterns, toPrefixQuery, type ServiceFilter } from './search';

const NOW = new Date('2026-11-20T10:00:00Z');

/** The ranking as it was specified before the words index: every service tested and scored. */
const reference = async (pool: Pool, filter: ServiceFilter): Promise<string[]> => {
  const query = filter.search === undefined ? null : toPrefixQuery(filter.search);
  const infixes = filter.search === undefined ? null : toInfixPatterns(filter.search);
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM (
       SELECT id, name,
         CASE WHEN $2::text IS NULL THEN 1 ELSE
           coalesce(ts_rank(search, to_tsquery('dutch', $2::text), 1) * 50, 0)
           + CASE WHEN lower(name) LIKE ANY ($3::text[]) THEN 1 ELSE 0 END
           + CASE WHEN haystack LIKE ANY ($3::text[]) THEN 0.5 ELSE 0 END + 0.1 END
         * CASE WHEN $4::text = ANY (wijken) THEN 1.5 ELSE 1 END
         * CASE capacity WHEN 'full' THEN 0.4 WHEN 'limited' THEN 0.8 ELSE 1 END
         * CASE WHEN reviewed_at < $1::timestamptz - interval '12 months' THEN 0.7 ELSE 1 END AS score
       FROM map_services
       WHERE NOT retired AND municipality = 'GM9999'
         AND ($4::text IS NULL OR cardinality(wijken) = 0 OR $4::text = ANY (wijken))
         AND ($2::text IS NULL OR search @@ to_tsquery('dutch', $2::text) OR haystack LIKE ANY ($3::text[]))) s
     ORDER BY score DESC, name, id`,
    [NOW.toISOString(), query, infixes, filter.wijk?.toLowerCase() ?? null],
  );
  return rows.map((r) => r.id);
};

/** Every page of the search, in order, and the totals it gave. */
const allPages = async (pool: Pool, filter: ServiceFilter, perPage: number) => {
  const ids: string[] = [];
  const totals = new Set<number>();
  for (let page = 1; ; page++) {
    const { total, contents } = await searchServices(
      pool,
      { municipality: 'GM9999', ...filter },
      { page, perPage },
      NOW,
    );
    totals.add(total);
    ids.push(...contents.map((s) => s.id));
    if (contents.length < perPage) return { ids, totals: [...totals] };
  }
};

const QUERIES: ServiceFilter[] = [
  { search: 'samen eten' }, // an OR of two common words
  { search: 'koor' }, // only inside compounds
  { search: 'koffie wandelen tuinieren' },
  { search: 'café' }, // an accent, inside "Taalcafé" and "Repair Café"
  { search: 'eten', wijk: 'Noord' },
  { search: 'de op' }, // short words only: no parts of compounds
  { search: 'zonnebloemveld' }, // a word no service has
  { search: 'ontmoetings' }, // inside the long word
  { search: 'dinsdag' }, // after punctuation ("ochtend/dinsdag")
  { search: 'zangkoor', wijk: 'Zuid' },
  { wijk: 'Zuid' }, // no text
];

describe('search compared with a straightforward ranking (real PostgreSQL)', () => {
  let h: Harness;
  let org: string;
  const ids: string[] = [];
  // a deterministic map: activities, places, phrases, wijken, capacities, reviews long ago
  let seed = 7;
  const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const ACTIVITIES = ['Wandelgroep', 'Buurtkoor', 'Taalcafé', 'Repair Café', 'Samen eten', 'Koffieochtend', 'Moestuin'];
  const PLACES = ['De Zon', 'Noord', 'Zuid', 'Het Anker', "'t Hofje"];
  const PHRASES = [
    'samen wandelen in je eigen tempo',
    'ontmoeten en een praatje maken',
    'een kop koffie en gezelligheid',
    'zingen in een kleine groep; koorrepetitie',
    'tuinieren in de buurtmoestuin',
    'elke ochtend/dinsdag (10:00) eten met buren!',
    `${'ontmoetingsruimte'.repeat(14)} voor iedereen`, // one word of 238 letters
  ];
  const body = () =>
    serviceBody(org, {
      name: `${pick(ACTIVITIES)} ${pick(PLACES)}`,
      description: `${pick(PHRASES)}. ${pick(PHRASES)}.`,
      wijken: rnd() < 0.3 ? [] : [pick(['Noord', 'Zuid', 'West'])],
      dimensions: [],
      referral_reasons: [],
      minimum_age: undefined,
      capacity_status: pick(['available', 'available', 'limited', 'full']),
    });
  const publish = async () => {
    const response = await h.call(municipal, 'POST', '/services', body());
    expect(response.status).toBe(201);
    ids.push(response.body.id as string);
  };

  const expectSameAsReference = async () => {
    for (const filter of QUERIES) {
      const expected = await reference(h.pool, filter);
      const found = await allPages(h.pool, filter, 7);
      expect({ filter, ids: found.ids, totals: found.totals }).toEqual({
        filter,
        ids: expected,
        totals: [expected.length],
      });
    }
  };

  beforeAll(async () => {
    h = await startHarness();
    h.setNow(new Date('2025-06-01T10:00:00Z')); // these become stale
    org = (await h.call(municipal, 'POST', '/organizations', organizationBody())).body.id as string;
    for (let i = 0; i < 15; i++) await publish();
    h.setNow(NOW);
    for (let i = 0; i < 45; i++) await publish();
  }, 60_000);
  afterAll(() => h.close());

  it('finds the same services in the same order with the same total, page by page', async () => {
    expect((await reference(h.pool, { search: 'samen eten' })).length).toBeGreaterThan(20);
    expect(await reference(h.pool, { search: 'ontmoetings' })).not.toEqual([]);
    await expectSameAsReference();
  });

  it('stays the same after services are published, changed (new words), retired and reviewed', async () => {
    for (let i = 0; i < 5; i++) await publish();
    const changed = { ...body(), id: ids[3], name: 'Zangkoor Zuid', description: 'Zingen; een zangkoor voor buren.' };
    expect((await h.call(municipal, 'PUT', `/services/${ids[3]}`, changed)).status).toBe(200);
    expect((await h.call(municipal, 'POST', `/services/${ids[5]}/retire`)).status).toBe(200);
    expect((await h.call(municipal, 'POST', `/services/${ids[1]}/review`)).status).toBe(200);
    expect(await reference(h.pool, { search: 'zangkoor', wijk: 'Zuid' })).toContain(ids[3]);
    // the changed service's new word is in the search's word list in the same transaction
    const { rows } = await h.pool.query("SELECT 1 FROM map_search_words WHERE word = 'zangkoor'");
    expect(rows).toHaveLength(1);
    await expectSameAsReference();
  });

  it('stays the same after the directory is rebuilt from the events', async () => {
    const services = Number((await h.pool.query('SELECT count(*) AS n FROM map_services')).rows[0].n);
    // docs/operations.md "Replaying": empty the projection's tables, then reset its checkpoint
    await h.pool.query(
      `TRUNCATE map_services, map_search_words, map_organizations, map_locations, map_service_at_locations, map_stream_versions;
       UPDATE projection_checkpoints SET checkpoint = '' WHERE name = 'social-map-directory'`,
    );
    // a running projector notices the reset with the next event; its writer waits for the replay
    await publish();
    const deadline = Date.now() + 20_000;
    while (Number((await h.pool.query('SELECT count(*) AS n FROM map_services')).rows[0].n) < services + 1) {
      if (Date.now() > deadline) throw new Error('the directory was not rebuilt within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await expectSameAsReference();
  });

  // A broad OR (half the map) read through an index, not by testing every row (at 10,000 services the
  // bitmap of the text indexes: bench/README.md), and the connection handed back to the pool with its
  // planner settings as they were.
  it('reads a broad text search through the indexes and resets the plan setting', async () => {
    const client = await h.pool.connect();
    const plans: string[] = [];
    try {
      const spying = {
        connect: async () => ({
          query: async (sql: string, params?: unknown[]) => {
            if (params) {
              const { rows } = await client.query(`EXPLAIN ${sql}`, params);
              plans.push(rows.map((r) => Object.values(r)[0]).join('\n'));
            }
            return client.query(sql, params);
          },
          release: () => undefined,
        }),
      } as unknown as Pool;
      await searchServices(spying, { search: 'samen eten', municipality: 'GM9999' }, { page: 1, perPage: 5 }, NOW);
      expect(plans[0]).toMatch(/Index Scan/);
      expect(plans[0]).not.toMatch(/Seq Scan on map_services\b/);
      expect((await client.query('SHOW enable_seqscan')).rows[0].enable_seqscan).toBe('on');
    } finally {
      client.release();
    }
  });
});
