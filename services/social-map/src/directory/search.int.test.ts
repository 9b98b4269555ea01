// Search relevance for coaches, on real PostgreSQL with the 'dutch' text search configuration.
import { municipal, organizationBody, otherMunicipality, serviceBody } from '../testing/fixtures';
import type { Pool } from 'pg';
import { startHarness, type Harness } from '../testing/harness';
import { searchServices, type ServiceFilter } from './search';

describe('search for coaches (real PostgreSQL)', () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  const names = (body: { contents: { name: string }[] }) => body.contents.map((s) => s.name);

  beforeAll(async () => {
    h = await startHarness();
    h.setNow(new Date('2025-01-15T10:00:00Z'));
    const org = (await h.call(municipal, 'POST', '/organizations', organizationBody())).body.id as string;
    const publish = async (key: string, overrides: Record<string, unknown>) => {
      const response = await h.call(
        municipal,
        'POST',
        '/services',
        serviceBody(org, { dimensions: [], referral_reasons: [], wijken: [], minimum_age: undefined, ...overrides }),
      );
      expect(response.status).toBe(201);
      ids[key] = response.body.id;
    };
    // published long ago and never reviewed since: stale by the time of the searches
    await publish('oldWalk', {
      name: 'Wandelclub Oud-Beterstad',
      description: 'Wandelen voor iedereen.',
      dimensions: ['lichaamsfuncties'],
    });
    h.setNow(new Date('2026-11-20T10:00:00Z'));
    await publish('walk', {
      name: 'Wandelgroep De Blijebuurt',
      description: 'Samen wandelen door de wijk.',
      wijken: ['De Blijebuurt'],
      dimensions: ['lichaamsfuncties', 'meedoen'],
      referral_reasons: ['eenzaamheid'],
    });
    await publish('walkElsewhere', {
      name: 'Wandelgroep Zuid',
      description: 'Wandelen in het park.',
      wijken: ['Zuid'],
      dimensions: ['lichaamsfuncties'],
    });
    await publish('choir', {
      name: 'Buurtkoor De Lijster',
      description: 'Zingen op woensdagavond.',
      dimensions: ['meedoen'],
      referral_reasons: ['eenzaamheid'],
    });
    await publish('coffee', {
      name: 'Koffieochtend Buurthuis De Zon',
      description: 'Ontmoeten en een praatje.',
      dimensions: ['meedoen'],
      referral_reasons: ['eenzaamheid'],
    });
    await publish('grief', {
      name: 'Rouwcafé',
      description: 'Na de koffie praten over verlies.',
      dimensions: ['mentaal-welbevinden'],
      referral_reasons: ['rouw'],
      cost_options: [{ amount: 5 }],
    });
    await publish('seniors', {
      name: 'Gym voor 65-plussers',
      description: 'Bewegen op muziek.',
      minimum_age: 65,
      dimensions: ['lichaamsfuncties'],
    });
    await publish('turkish', {
      name: 'Vrouwengroep Kahve',
      description: 'Ontmoeting voor vrouwen, in het Turks.',
      languages: [{ code: 'tr' }, { code: 'nl' }],
      dimensions: ['meedoen'],
    });
    await publish('fullWalk', {
      name: 'Wandelgroep Noord',
      description: 'Samen wandelen.',
      dimensions: ['lichaamsfuncties'],
      capacity_status: 'full',
    });
    await publish('retired', { name: 'Wandelgroep Opgeheven', description: 'Wandelen.' });
    expect((await h.call(municipal, 'POST', `/services/${ids.retired}/retire`)).status).toBe(200);
    const otherOrg = (await h.call(otherMunicipality, 'POST', '/organizations', organizationBody())).body.id as string;
    await h.call(
      otherMunicipality,
      'POST',
      '/services',
      serviceBody(otherOrg, { name: 'Wandelgroep Elders', wijken: [] }),
    );
  });
  afterAll(() => h.close());

  const search = async (query: string) => {
    const response = await h.call(municipal, 'GET', `/services?municipality=GM9999&${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  it('finds Dutch inflections and compounds: "wandelen" finds the walking groups, "koor" the Buurtkoor', async () => {
    const walking = names(await search('search=wandelen'));
    expect(walking).toEqual(
      expect.arrayContaining([
        'Wandelgroep De Blijebuurt',
        'Wandelgroep Zuid',
        'Wandelgroep Noord',
        'Wandelclub Oud-Beterstad',
      ]),
    );
    expect(walking).not.toContain('Wandelgroep Opgeheven'); // retired
    expect(walking).not.toContain('Wandelgroep Elders'); // another municipality
    expect(names(await search('search=koor'))).toEqual(['Buurtkoor De Lijster']);
  });

  it('ranks a match in the name above one in the description', async () => {
    expect(names(await search('search=koffie'))).toEqual(['Koffieochtend Buurthuis De Zon', 'Rouwcafé']);
  });

  it("in a wijk: its own services first, then municipality-wide ones; other wijken's not at all", async () => {
    const result = names(await search('search=wandelen&wijk=de%20blijebuurt'));
    expect(result[0]).toBe('Wandelgroep De Blijebuurt');
    expect(result).not.toContain('Wandelgroep Zuid');
    expect(result).toContain('Wandelgroep Noord');
  });

  it('full and stale entries sink below available, fresh ones, and are flagged', async () => {
    const result = (await search('search=wandelen')).contents as {
      name: string;
      capacity_status: string;
      stale: boolean;
    }[];
    expect(result.map((s) => s.name).slice(-2)).toEqual(['Wandelclub Oud-Beterstad', 'Wandelgroep Noord']);
    expect(result.find((s) => s.name === 'Wandelgroep Noord')).toMatchObject({ capacity_status: 'full', stale: false });
    expect(result.find((s) => s.name === 'Wandelclub Oud-Beterstad')).toMatchObject({ stale: true });
  });

  it('filters on dimension, referral reason, age, free of charge and language', async () => {
    expect(names(await search('reason=rouw'))).toEqual(['Rouwcafé']);
    expect(names(await search('dimension=mentaal-welbevinden'))).toEqual(['Rouwcafé']);
    expect(names(await search('reason=eenzaamheid&dimension=meedoen')).sort()).toEqual([
      'Buurtkoor De Lijster',
      'Koffieochtend Buurthuis De Zon',
      'Wandelgroep De Blijebuurt',
    ]);
    expect(names(await search('search=bewegen&age=40'))).not.toContain('Gym voor 65-plussers');
    expect(names(await search('search=bewegen&age=70'))).toContain('Gym voor 65-plussers');
    expect(names(await search('free=false'))).toEqual(['Rouwcafé']);
    expect(names(await search('free=true'))).not.toContain('Rouwcafé');
    expect(names(await search('language=tr'))).toEqual(['Vrouwengroep Kahve']);
  });

  it('filters by an HSDS taxonomy term id', async () => {
    const terms = (await h.call(municipal, 'GET', '/taxonomy_terms?per_page=100')).body.contents as {
      id: string;
      code: string;
    }[];
    const rouw = terms.find((t) => t.code === 'rouw')!;
    expect(names(await search(`taxonomy_term_id=${rouw.id}&full=true&format=json`))).toEqual(['Rouwcafé']);
    const taxonomies = (await h.call(municipal, 'GET', '/taxonomies')).body.contents as { id: string; name: string }[];
    const dimensions = taxonomies.find((t) => t.name === 'Positieve Gezondheid')!;
    expect((await search(`taxonomy_id=${dimensions.id}`)).total_items).toBe(9); // every service with a dimension
  });

  it('pages in HSDS shape', async () => {
    const first = await search('search=wandelen&per_page=2');
    expect(first).toMatchObject({
      total_items: 4,
      total_pages: 2,
      page_number: 1,
      size: 2,
      first_page: true,
      last_page: false,
      empty: false,
    });
    const second = await search('search=wandelen&per_page=2&page=2');
    expect(second).toMatchObject({ page_number: 2, size: 2, first_page: false, last_page: true });
    const beyond = await search('search=wandelen&per_page=2&page=5');
    expect(beyond).toMatchObject({ total_items: 4, size: 0, empty: true, contents: [] });
  });

  it("lists the stale entries for the municipality's key-users", async () => {
    const stale = await h.call(municipal, 'GET', '/stale-services');
    expect(names(stale.body)).toEqual(['Wandelclub Oud-Beterstad']);
    expect((await h.call(municipal, 'POST', `/services/${ids.oldWalk}/review`)).status).toBe(200);
    expect((await h.call(municipal, 'GET', '/stale-services')).body.total_items).toBe(0);
  });

  // At 10,000 services reading the matches through indexes instead of testing every row is what keeps
  // a search fast (bench/social-map-search.js); on this small map only a plan without seq scans shows it.
  it('has a plan through the indexes for each filter it is given (the words for parts of compounds)', async () => {
    const indexesOf = async (filter: ServiceFilter): Promise<string[]> => {
      let statement: { sql: string; params: unknown[] } | undefined;
      const capturing = {
        connect: async () => ({
          query: async (sql: string, params?: unknown[]) => {
            if (params) statement = { sql, params };
            return { rows: [] };
          },
          release: () => undefined,
        }),
      } as unknown as Pool;
      await searchServices(capturing, filter, { page: 1, perPage: 25 }, new Date());
      const client = await h.pool.connect();
      try {
        await client.query('BEGIN; SET LOCAL enable_seqscan = off');
        const { rows } = await client.query<{ plan: string }>(`EXPLAIN ${statement?.sql}`, statement?.params);
        return [
          ...rows
            .map((r) => Object.values(r)[0])
            .join('\n')
            .matchAll(/(?:using|on) (map_services_\w+)/gi),
        ]
          .map((m) => m[1] ?? '')
          .filter((name) => name !== 'map_services_pkey');
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    };
    expect(await indexesOf({ search: 'koor', includeRetired: true })).toEqual(
      expect.arrayContaining(['map_services_search', 'map_services_words']),
    );
    expect(await indexesOf({ language: 'tr', includeRetired: true })).toContain('map_services_languages');
  });

  it('rejects bad filters with 422 and field paths', async () => {
    const bad = await h.call(municipal, 'GET', '/services?dimension=geluk&age=-1&free=misschien');
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['age', 'dimension[0]', 'free']);
  });
});
