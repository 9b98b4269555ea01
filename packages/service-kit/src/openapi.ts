// One operation table per service, from which its OpenAPI 3.1 document is built: request and
// response schemas are the zod schemas the routes validate with and shape their answers by.
// Every problem answer uses one RFC 9457 schema; a test per service compares the table with the
// routes the service mounts (registeredRoutes), so a route cannot go undocumented.
import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** A zod schema, or a JSON Schema where the answer is not JSON shaped by zod (CSV, FHIR, an event stream). */
export type BodySchema = z.ZodType | Record<string, unknown>;

export type ResponseSpec = Readonly<{
  description: string;
  schema?: BodySchema;
  /** application/json unless said otherwise. */
  contentType?: string;
  headers?: Record<string, { description: string; schema?: Record<string, unknown> }>;
  /** Other media types of the same answer, e.g. `{ 'text/csv': { type: 'string' } }` for format=csv. */
  alternatives?: Record<string, BodySchema>;
}>;

export type HeaderParameter = Readonly<{ name: string; required: boolean; description: string; schema?: object }>;

export type OperationSpec = Readonly<{
  method: HttpMethod;
  /** As express mounts it: `/referrals/:referralId`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags?: readonly string[];
  /** Path parameters; any not described here are plain strings. */
  params?: z.ZodObject;
  query?: z.ZodType;
  headers?: readonly HeaderParameter[];
  body?: BodySchema | Readonly<{ schema: BodySchema; contentType: string }>;
  /** The 2xx answers; every other status is a problem. */
  responses: Readonly<Record<number, ResponseSpec>>;
  /** Problem statuses worth naming for this operation (401 and 429 are added to every secured one). */
  problems?: readonly number[];
  /** Served without a token. */
  public?: boolean;
  /** How errors are answered: RFC 9457 problems (default), or FHIR OperationOutcome (the FHIR interfaces). */
  errors?: 'problem' | 'fhir';
}>;

export type ApiInfo = Readonly<{
  title: string;
  version: string;
  description: string;
  /** What each tag the operations use groups (the reference page's sections). */
  tags?: Readonly<Record<string, string>>;
}>;

/** RFC 9457 problem details, with the 422 list of invalid fields the services add. */
export const ProblemSchema = z
  .looseObject({
    type: z.string().describe('A URI reference naming the problem type; about:blank when the status says it all'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    // Request validation names a field path and message; an import report names its entities and rows.
    errors: z.array(z.looseObject({ path: z.string().optional(), message: z.string().optional() })).optional(),
  })
  .meta({ description: 'RFC 9457 problem details' });

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const OUTCOME_REF = { $ref: '#/components/schemas/OperationOutcome' };

/** FHIR R4 OperationOutcome as the FHIR interfaces answer every error (resourceType and its required issues). */
export const OperationOutcomeSchema = z
  .looseObject({
    resourceType: z.literal('OperationOutcome'),
    issue: z
      .array(
        z.looseObject({
          severity: z.enum(['fatal', 'error', 'warning', 'information']),
          code: z.string(),
          diagnostics: z.string().optional(),
          expression: z.array(z.string()).optional(),
        }),
      )
      .min(1),
  })
  .meta({ description: 'FHIR R4 OperationOutcome' });
const PROBLEM_TITLES: Record<number, string> = {
  400: 'The request cannot be read',
  401: 'No valid bearer token',
  403: 'Not allowed for this caller',
  404: 'Not found, or not visible to this caller',
  406: 'Not acceptable',
  409: 'Conflicts with the current state',
  412: 'If-Match names another version',
  413: 'The body is too large',
  415: 'Unsupported media type',
  422: 'Invalid input; `errors` lists every invalid field',
  428: 'If-Match is required',
  429: 'Rate limited; see Retry-After',
  503: 'A dependency is unavailable',
};

const isZod = (schema: BodySchema): schema is z.ZodType => schema instanceof z.ZodType;

/** JSON Schema of a zod schema, without `$schema` (the document's dialect applies). */
export const jsonSchemaOf = (schema: BodySchema, io: 'input' | 'output'): Record<string, unknown> => {
  if (!isZod(schema)) return schema;
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return json;
};

/** `/a/:id/b` → `/a/{id}/b` */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

type Parameter = {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: object;
  description?: string;
};

const parametersOf = (op: OperationSpec): Parameter[] => {
  const described = op.params ? (jsonSchemaOf(op.params, 'input').properties as Record<string, object>) : {};
  const path = [...op.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name: name!,
    in: 'path' as const,
    required: true,
    schema: described[name!] ?? { type: 'string' },
  }));
  const queryJson = op.query ? jsonSchemaOf(op.query, 'input') : { properties: {} };
  const required = new Set((queryJson.required as string[] | undefined) ?? []);
  const query = Object.entries((queryJson.properties as Record<string, { description?: string }>) ?? {}).map(
    ([name, schema]) => ({
      name,
      in: 'query' as const,
      required: required.has(name),
      schema,
      ...(schema.description ? { description: schema.description } : {}),
    }),
  );
  const headers = (op.headers ?? []).map((h) => ({
    name: h.name,
    in: 'header' as const,
    required: h.required,
    description: h.description,
    schema: h.schema ?? { type: 'string' },
  }));
  return [...path, ...query, ...headers];
};

const requestBodyOf = (body: NonNullable<OperationSpec['body']>) => {
  const { schema, contentType } =
    'contentType' in body && typeof body.contentType === 'string' && 'schema' in body
      ? (body as { schema: BodySchema; contentType: string })
      : { schema: body as BodySchema, contentType: 'application/json' };
  return { required: true, content: { [contentType]: { schema: jsonSchemaOf(schema, 'input') } } };
};

const responsesOf = (op: OperationSpec) => {
  const responses: Record<string, object> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.headers ? { headers: r.headers } : {}),
      ...(r.schema
        ? {
            content: {
              [r.contentType ?? 'application/json']: { schema: jsonSchemaOf(r.schema, 'output') },
              ...Object.fromEntries(
                Object.entries(r.alternatives ?? {}).map(([type, schema]) => [
                  type,
                  { schema: jsonSchemaOf(schema, 'output') },
                ]),
              ),
            },
          }
        : {}),
    };
  }
  const errorContent =
    op.errors === 'fhir'
      ? { 'application/fhir+json': { schema: OUTCOME_REF } }
      : { 'application/problem+json': { schema: PROBLEM_REF } };
  const problems = new Set([...(op.public ? [] : [401, 429]), ...(op.problems ?? [])]);
  for (const status of [...problems].sort()) {
    responses[String(status)] = { description: PROBLEM_TITLES[status] ?? 'Problem', content: errorContent };
  }
  // The error handler answers every other failure the same way.
  responses.default = { description: 'Any other problem', content: errorContent };
  return responses;
};

export type OpenApiDocument = Readonly<{
  openapi: '3.1.0';
  info: ApiInfo & Record<string, unknown>;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  [key: string]: unknown;
}>;

const KIT_TAG = 'Liveness, readiness, metrics and this API description: every service has them, no token needed';

/** What createApp serves to everyone, before authentication, in every service. */
export const KIT_OPERATIONS: readonly OperationSpec[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Liveness: the process answers',
    tags: ['probes'],
    public: true,
    responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
  },
  {
    method: 'get',
    path: '/ready',
    operationId: 'ready',
    summary: 'Readiness: every dependency (PostgreSQL, the broker) answers',
    tags: ['probes'],
    public: true,
    responses: {
      200: {
        description: 'Ready',
        schema: z.object({
          status: z.enum(['ready', 'not-ready']),
          checks: z.record(z.string(), z.boolean()),
          failed: z.array(z.string()),
        }),
      },
    },
    problems: [503],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    tags: ['probes'],
    public: true,
    responses: {
      200: { description: 'Prometheus text format', contentType: 'text/plain', schema: { type: 'string' } },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    summary: 'This document',
    tags: ['probes'],
    public: true,
    responses: {
      200: {
        description: 'OpenAPI 3.1',
        schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
      },
    },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'apiReference',
    summary: 'The interactive API reference of this document (Redoc, served locally)',
    tags: ['probes'],
    public: true,
    responses: { 200: { description: 'HTML page', contentType: 'text/html', schema: { type: 'string' } } },
  },
  ...(['redoc.standalone.js', 'init.js'] as const).map((file): OperationSpec => ({
    method: 'get',
    path: `/docs/${file}`,
    operationId: file === 'init.js' ? 'apiReferenceInit' : 'apiReferenceBundle',
    summary: `A script of the reference page (${file === 'init.js' ? 'its start' : 'Redoc, from node_modules'})`,
    tags: ['probes'],
    public: true,
    responses: {
      200: { description: 'JavaScript', contentType: 'text/javascript', schema: { type: 'string' } },
    },
  })),
];

/** The service's OpenAPI 3.1 document from its operation table (the kit's own routes added). */
export const openApiDocument = (info: ApiInfo, serviceOperations: readonly OperationSpec[]): OpenApiDocument => {
  const operations = [...serviceOperations, ...KIT_OPERATIONS];
  const ids = new Set<string>();
  const paths: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const op of operations) {
    if (ids.has(op.operationId)) throw new Error(`operationId ${op.operationId} is used twice`);
    ids.add(op.operationId);
    const path = (paths[openApiPath(op.path)] ??= {});
    if (path[op.method]) throw new Error(`${op.method.toUpperCase()} ${op.path} is described twice`);
    const parameters = parametersOf(op);
    path[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(op.tags ? { tags: op.tags } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body ? { requestBody: requestBodyOf(op.body) } : {}),
      responses: responsesOf(op),
      ...(op.public ? { security: [] } : {}),
    };
  }
  const described: Record<string, string> = { ...info.tags, probes: KIT_TAG };
  const tags = [...new Set(operations.flatMap((op) => op.tags ?? []))].map((name) => {
    if (!described[name]) throw new Error(`tag ${name} has no description in the ApiInfo`);
    return { name, description: described[name] };
  });
  const { tags: _tags, ...infoFields } = info;
  return {
    openapi: '3.1.0',
    info: {
      ...infoFields,
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      // No address is published yet; the name is who answers (see docs/api.md).
      contact: { name: 'WoR platform maintainers' },
    },
    // Relative: each service serves its own document, so the server is wherever it was read from.
    servers: [{ url: '/', description: 'The service that serves this document' }],
    ...(tags.length > 0 ? { tags } : {}),
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token of the OIDC provider (or the dev issuer); roles and organisation are claims.',
        },
      },
      schemas: {
        Problem: jsonSchemaOf(ProblemSchema, 'output'),
        ...(operations.some((op) => op.errors === 'fhir')
          ? { OperationOutcome: jsonSchemaOf(OperationOutcomeSchema, 'output') }
          : {}),
      },
    },
  };
};
