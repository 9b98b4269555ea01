import type { Request } from 'express';
import request from 'supertest';
import { z } from 'zod';
import {
  capabilityStatementOf,
  fhirBaseOf,
  fhirOperations,
  fhirPathFromZod,
  fhirSettingsFrom,
  mountFhirRoutes,
  policiesOf,
  searchset,
  type FhirRouteTable,
} from './fhir';
import { problem } from './problem';
import { parseBody } from './validate';
import { testApp } from './testing/fixtures';

const TABLE = {
  read: {
    kind: 'interaction',
    resource: 'Task',
    interaction: 'read',
    method: 'GET',
    path: '/fhir/Task/:id',
    policy: { roles: ['coach'], scope: 'none' },
  },
  search: {
    kind: 'interaction',
    resource: 'Task',
    interaction: 'search-type',
    method: 'GET',
    path: '/fhir/Task',
    policy: { roles: ['coach'], scope: 'none' },
    searchParams: [{ name: 'status', type: 'token', documentation: 'the status' }],
  },
  create: {
    kind: 'interaction',
    resource: 'Task',
    interaction: 'create',
    method: 'POST',
    path: '/fhir/Task',
    policy: { roles: ['coach'], scope: 'none' },
  },
  op: {
    kind: 'operation',
    resource: 'Task',
    name: 'feedback',
    method: 'GET',
    path: '/fhir/Task/:id/$feedback',
    policy: { roles: ['coach'], scope: 'none' },
    documentation: 'feedback',
  },
  transaction: {
    kind: 'system',
    interaction: 'transaction',
    method: 'POST',
    path: '/fhir',
    policy: { roles: ['coach'], scope: 'none' },
    documentation: 'a referral',
  },
} as const satisfies FhirRouteTable;

const setup = () =>
  testApp((router) => {
    mountFhirRoutes(router, TABLE, {
      read: (req) => {
        if (req.params.id === 'boom') throw new Error('db password=hunter2');
        throw problem(404, 'Not Found', 'No such Task.');
      },
      search: (_req, res) => void res.json({}),
      create: (req, res) =>
        void res.json(
          parseBody(z.object({ status: z.string(), output: z.array(z.object({ type: z.string() })) }), req),
        ),
      op: (_req, res) => void res.json({}),
      transaction: (_req, res) => void res.json({}),
    });
    router.get('/rest/x', () => {
      throw problem(404, 'Not Found');
    });
  });

describe('FHIR errors: OperationOutcome under /fhir, problem+json elsewhere', () => {
  const { app, token, text } = setup();

  it('answers 401 without a token as OperationOutcome (login)', async () => {
    const res = await request(app).get('/fhir/Task/1');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
    expect(res.body.text.status).toBe('generated');
  });

  it('answers 403, 404, 400 (malformed JSON) and 422 with FHIR issue codes and FHIRPath expressions', async () => {
    const other = await request(app)
      .get('/fhir/Task/1')
      .set('Authorization', `Bearer ${await token(['admin'])}`);
    expect([other.status, other.body.issue[0].code]).toEqual([403, 'forbidden']);
    const auth = `Bearer ${await token(['coach'])}`;
    const missing = await request(app).get('/fhir/Task/1').set('Authorization', auth);
    expect([missing.status, missing.body.issue[0].code, missing.body.issue[0].diagnostics]).toEqual([
      404,
      'not-found',
      'No such Task.',
    ]);
    const unknownType = await request(app).get('/fhir/Patient/1').set('Authorization', auth);
    expect([unknownType.status, unknownType.body.resourceType]).toEqual([404, 'OperationOutcome']);
    const malformed = await request(app)
      .post('/fhir/Task')
      .set('Authorization', auth)
      .set('Content-Type', 'application/fhir+json')
      .send('{"status":');
    expect([malformed.status, malformed.body.issue[0].code]).toEqual([400, 'invalid']);
    const invalid = await request(app)
      .post('/fhir/Task')
      .set('Authorization', auth)
      .send({ status: 1, output: [{ type: 2 }] });
    expect(invalid.status).toBe(422);
    expect(invalid.body.issue).toEqual([
      expect.objectContaining({ severity: 'error', code: 'invalid', diagnostics: expect.stringContaining('status') }),
      expect.objectContaining({ code: 'invalid', diagnostics: expect.stringContaining('output[0].type') }),
    ]);
  });

  it('answers 5xx as a fatal OperationOutcome that reveals nothing but an error id', async () => {
    const res = await request(app)
      .get('/fhir/Task/boom')
      .set('Authorization', `Bearer ${await token(['coach'])}`);
    expect(res.status).toBe(500);
    expect(res.body.issue).toEqual([
      { severity: 'fatal', code: 'exception', diagnostics: expect.stringMatching(/errorId [0-9a-f-]{36}/) },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(text()).toContain('unhandled error');
  });

  it('keeps problem+json outside /fhir', async () => {
    const res = await request(app)
      .get('/rest/x')
      .set('Authorization', `Bearer ${await token(['coach'])}`);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('the FHIR route table', () => {
  it('gives the policies and a CapabilityStatement with every route in it', () => {
    expect(Object.keys(policiesOf(TABLE)).sort()).toEqual(
      ['GET /fhir/Task/:id', 'GET /fhir/Task', 'POST /fhir/Task', 'GET /fhir/Task/:id/$feedback', 'POST /fhir'].sort(),
    );
    const cs = capabilityStatementOf(
      TABLE,
      {
        id: 'test',
        title: 'Test',
        description: 'A test server',
        canonicalBase: 'https://fhir.example.nl',
        instantiates: ['http://example.org/CapabilityStatement/x'],
        resources: { Task: { supportedProfile: ['http://example.org/StructureDefinition/t'] } },
        unsupported: ['XML'],
        date: '2026-12-02',
        version: '1',
      },
      'https://api.example.nl/fhir',
    );
    expect(cs).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      kind: 'instance',
      instantiates: ['http://example.org/CapabilityStatement/x'],
      implementation: { url: 'https://api.example.nl/fhir' },
      rest: [
        {
          mode: 'server',
          documentation: 'Not supported: XML.',
          interaction: [{ code: 'transaction', documentation: 'a referral' }],
          resource: [
            {
              type: 'Task',
              supportedProfile: ['http://example.org/StructureDefinition/t'],
              interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }],
              searchParam: [{ name: 'status', type: 'token', documentation: 'the status' }],
              operation: [
                {
                  name: 'feedback',
                  definition: 'https://fhir.example.nl/OperationDefinition/feedback',
                  documentation: 'feedback',
                },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe('conditional create in the route table', () => {
  it('declares conditionalCreate for a create that understands If-None-Exist, and 412 among its answers', () => {
    const create = (conditionalCreate: boolean) =>
      ({
        create: {
          kind: 'interaction',
          resource: 'Task',
          interaction: 'create',
          method: 'POST',
          path: '/fhir/Task',
          policy: { roles: ['gp-system'], scope: 'none' },
          ...(conditionalCreate && { conditionalCreate }),
        },
      }) as const satisfies FhirRouteTable;
    const options = {
      id: 'test',
      title: 'Test',
      description: 'A test server',
      canonicalBase: 'https://fhir.example.nl',
      instantiates: [],
      resources: {},
      unsupported: [],
      date: '2026-12-02',
      version: '1',
    };
    const task = (table: FhirRouteTable) =>
      capabilityStatementOf(table, options, 'https://x/fhir').rest![0]!.resource![0]!;
    expect(task(create(true)).conditionalCreate).toBe(true);
    expect(task(create(false)).conditionalCreate).toBeUndefined();
    const problems = (table: FhirRouteTable) =>
      fhirOperations(table, 'test').find((o) => o.method === 'post')!.problems;
    expect(problems(create(true))).toContain(412);
    expect(problems(create(false))).not.toContain(412);
  });
});

describe('FHIR settings and Bundles', () => {
  it('takes the public base URL from the setting, else from the request host', () => {
    const req = { protocol: 'http', get: () => 'localhost:3001' } as unknown as Request;
    expect(fhirBaseOf(req, fhirSettingsFrom({}))).toBe('http://localhost:3001/fhir');
    expect(fhirBaseOf(req, fhirSettingsFrom({ FHIR_BASE_URL: 'https://api.example.nl/wor/fhir/' }))).toBe(
      'https://api.example.nl/wor/fhir',
    );
    expect(fhirSettingsFrom({}).canonicalBase).not.toContain('example');
    expect(() => fhirSettingsFrom({ FHIR_BASE_URL: 'not a url' })).toThrow(/FHIR_BASE_URL/);
  });

  it('makes searchsets with absolute fullUrls, search modes and a self link, and no empty entry array', () => {
    const base = 'https://api.example.nl/fhir';
    const empty = searchset({ base, self: `${base}/Task?status=x`, total: 0, matches: [] });
    expect(empty).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 0,
      link: [{ relation: 'self', url: `${base}/Task?status=x` }],
    });
    const some = searchset({
      base,
      self: `${base}/Task`,
      matches: [{ resourceType: 'Task', id: 't1' } as never],
      includes: [{ resourceType: 'ServiceRequest', id: 's1' } as never],
      warnings: ['ignored x'],
    });
    expect(some.entry!.map((e) => [e.fullUrl, e.search!.mode])).toEqual([
      [`${base}/Task/t1`, 'match'],
      [`${base}/ServiceRequest/s1`, 'include'],
      [expect.stringMatching(/^urn:uuid:/), 'outcome'],
    ]);
  });

  it('writes zod paths as FHIRPaths', () => {
    expect(fhirPathFromZod('Consent', ['provision', 'actor', 0, 'reference'])).toBe(
      'Consent.provision.actor[0].reference',
    );
  });
});
