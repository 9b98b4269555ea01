// The operation table → OpenAPI 3.1 document, and the response check the services' tests run with.
import { lintOpenApi, responseValidator } from '@wor/test-support';
import { z } from 'zod';
import { openApiDocument, type OperationSpec } from './openapi';

const Thing = z.object({ id: z.uuid(), name: z.string(), note: z.string().nullable() });
const operations: OperationSpec[] = [
  {
    method: 'post',
    path: '/things',
    operationId: 'createThing',
    summary: 'Create a thing',
    body: z.object({ name: z.string().min(1), tags: z.array(z.string()).meta({ uniqueItems: true }) }),
    responses: { 201: { description: 'Created', schema: Thing } },
    problems: [409, 422],
  },
  {
    method: 'get',
    path: '/things/:thingId',
    operationId: 'getThing',
    summary: 'Read a thing',
    params: z.object({ thingId: z.uuid() }),
    query: z.object({ full: z.enum(['true', 'false']).optional() }),
    responses: { 200: { description: 'The thing', schema: Thing, alternatives: { 'text/csv': { type: 'string' } } } },
    problems: [404],
  },
];
const doc = openApiDocument({ title: 'Things', version: '1', description: 'Test service' }, operations);
type Op = { parameters: { name: string; in: string; required: boolean; schema: object }[]; [k: string]: unknown };
const op = (path: string, method: string) => doc.paths[path]![method] as unknown as Op;

describe('openApiDocument', () => {
  it('turns express paths into templates with their parameters from the zod schemas', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/things', '/things/{thingId}']));
    expect(op('/things/{thingId}', 'get').parameters).toEqual([
      { name: 'thingId', in: 'path', required: true, schema: expect.objectContaining({ format: 'uuid' }) },
      { name: 'full', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
    ]);
  });

  it('describes bodies and answers from zod, every problem with the one Problem schema', () => {
    const post = op('/things', 'post') as unknown as {
      requestBody: { content: { 'application/json': { schema: { properties: { tags: object } } } } };
      responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }>;
    };
    expect(post.requestBody.content['application/json'].schema.properties.tags).toMatchObject({ uniqueItems: true });
    expect(post.responses['201']!.content['application/json']!.schema).toMatchObject({
      required: ['id', 'name', 'note'],
    });
    for (const status of ['401', '409', '422', '429', 'default'])
      expect(post.responses[status]!.content['application/problem+json']!.schema).toEqual({
        $ref: '#/components/schemas/Problem',
      });
  });

  it('has servers, bearer JWT, licence and contact, and the kit routes as public operations', () => {
    expect(doc).toMatchObject({
      openapi: '3.1.0',
      servers: [{ url: '/' }],
      security: [{ bearer: [] }],
      info: { license: { identifier: 'EUPL-1.2' }, contact: { name: expect.any(String) } },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    });
    expect(op('/health', 'get')).toMatchObject({ operationId: 'health', security: [] });
  });

  it('refuses an operationId or an operation described twice', () => {
    const info = { title: 't', version: '1', description: 'd' };
    expect(() => openApiDocument(info, [operations[0]!, { ...operations[1]!, operationId: 'createThing' }])).toThrow(
      /createThing is used twice/,
    );
    expect(() => openApiDocument(info, [operations[0]!, { ...operations[0]!, operationId: 'again' }])).toThrow(
      /described twice/,
    );
  });

  it('is lint-clean under Redocly recommended rules', async () => {
    const problems = await lintOpenApi(doc);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('responseValidator', () => {
  const check = responseValidator(doc);
  const thing = { id: '0b7c8a5e-3f4b-4c1d-9a2e-6f1e2d3c4b5a', name: 'a', note: null };
  const ok = { method: 'GET', url: `/things/${thing.id}?full=true`, status: 200, contentType: 'application/json' };

  it('accepts an answer as documented, and a documented alternative media type', () => {
    expect(() => check({ ...ok, body: thing })).not.toThrow();
    expect(() => check({ ...ok, contentType: 'text/csv; charset=utf-8', body: 'id,name' })).not.toThrow();
  });

  it('refuses a body without a required field, or with a field the schema does not have', () => {
    expect(() => check({ ...ok, body: { id: thing.id, name: 'a' } })).toThrow(/must have required property 'note'/);
    expect(() => check({ ...ok, body: { ...thing, extra: 1 } })).toThrow(/additional properties/);
  });

  it('refuses an undocumented status, media type or operation', () => {
    expect(() => check({ ...ok, status: 204, body: undefined })).toThrow(/status not documented/);
    expect(() => check({ ...ok, contentType: 'text/html', body: '<p>' })).toThrow(/media type text\/html/);
    expect(() => check({ ...ok, method: 'DELETE', body: undefined })).toThrow(/no such operation/);
  });

  it('takes any problem status as the one Problem schema, and refuses a problem that is not one', () => {
    const problem = { type: 'about:blank', title: 'Gone', status: 410 };
    const asProblem = { ...ok, status: 410, contentType: 'application/problem+json' };
    expect(() => check({ ...asProblem, body: problem })).not.toThrow();
    expect(() => check({ ...asProblem, body: { title: 'Gone' } })).toThrow(/required property 'type'/);
  });
});
