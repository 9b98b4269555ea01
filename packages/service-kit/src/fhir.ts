// FHIR R4 plumbing the services' /fhir APIs share. Each service declares one route table; the routes,
// their policies and the CapabilityStatement are all derived from it, so what is served and what is
// declared cannot drift. Errors under /fhir are OperationOutcome (the REST API keeps problem+json).
import type {
  Bundle,
  BundleEntry,
  BundleLink,
  CapabilityStatement,
  CapabilityStatementRestResource,
  Narrative,
  OperationOutcome,
  OperationOutcomeIssue,
  Resource,
} from 'fhir/r4';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from './auth';
import { rolesOf, type EndpointPolicy, type PolicyTable } from './policy';
import type { OperationSpec } from './openapi';
import type { HttpProblem } from './problem';
import type { ValidationError } from './validate';

export const FHIR_JSON = 'application/fhir+json';
export const FHIR_VERSION = '4.0.1';
export const FHIR_PREFIX = '/fhir';

// ---------- settings ----------

/** FHIR_BASE_URL and FHIR_CANONICAL_BASE: part of each FHIR-serving service's settings schema. */
export const FhirSettingsSchema = z.object({
  /** The public base of /fhir as clients reach it (behind a proxy); default: the request's own host. */
  FHIR_BASE_URL: z
    .url()
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** Canonical base of the platform's own CodeSystems and extensions: stable, never a host name that moves. */
  FHIR_CANONICAL_BASE: z
    .url()
    .transform((u) => u.replace(/\/+$/, ''))
    .default('https://fhir.welzijnoprecept.nl'),
});

export type FhirSettings = Readonly<{ baseUrl: string | undefined; canonicalBase: string }>;

let configuredCanonicalBase: string | undefined;

/**
 * The canonical base of the platform's own CodeSystems and extensions: FHIR_CANONICAL_BASE as the service's
 * validated settings give it (fhirSettingsOf records it at start), else its default. One per process.
 */
export const fhirCanonicalBase = (): string =>
  configuredCanonicalBase ?? FhirSettingsSchema.shape.FHIR_CANONICAL_BASE.parse(undefined);

/** The FHIR settings of a service's parsed settings (they include FhirSettingsSchema). */
export const fhirSettingsOf = (parsed: z.output<typeof FhirSettingsSchema>): FhirSettings => {
  configuredCanonicalBase = parsed.FHIR_CANONICAL_BASE;
  return { baseUrl: parsed.FHIR_BASE_URL, canonicalBase: parsed.FHIR_CANONICAL_BASE };
};

export const fhirSettingsFrom = (env: NodeJS.ProcessEnv): FhirSettings => {
  const parsed = FhirSettingsSchema.safeParse(env);
  if (!parsed.success)
    throw new Error(`Invalid FHIR settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)}`);
  return { baseUrl: parsed.data.FHIR_BASE_URL, canonicalBase: parsed.data.FHIR_CANONICAL_BASE };
};

/** The absolute base URL of /fhir for this request: the configured one, else the request's own host. */
export const fhirBaseOf = (req: Request, settings: Pick<FhirSettings, 'baseUrl'>): string =>
  settings.baseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}${FHIR_PREFIX}`;

/** The absolute URL of this request, under the public base (Bundle self links). */
export const fhirSelfOf = (req: Request, settings: Pick<FhirSettings, 'baseUrl'>): string =>
  `${fhirBaseOf(req, settings)}${req.originalUrl.slice(FHIR_PREFIX.length)}`;

// ---------- the route table ----------

export type FhirResourceType = CapabilityStatementRestResource['type'];
export type FhirSearchParamType = 'token' | 'reference' | 'date' | 'string' | 'number' | 'uri' | 'special';
export type FhirSearchParam = Readonly<{
  name: string;
  type: FhirSearchParamType;
  documentation: string;
  /** Modifiers the server understands on this parameter (e.g. identifier, missing). */
  modifiers?: readonly string[];
}>;
export type FhirInteraction =
  'read' | 'vread' | 'update' | 'create' | 'search-type' | 'history-instance' | 'history-type';

type Common = Readonly<{ method: 'GET' | 'POST' | 'PUT'; path: string; policy: EndpointPolicy }>;
export type FhirRouteDef =
  | (Common &
      Readonly<{
        kind: 'interaction';
        resource: FhirResourceType;
        interaction: FhirInteraction;
        documentation?: string;
        searchParams?: readonly FhirSearchParam[];
        includes?: readonly string[];
        /** A create that understands If-None-Exist (R4 conditional create: 200 with the one match, 412 for more). */
        conditionalCreate?: boolean;
      }>)
  | (Common & Readonly<{ kind: 'system'; interaction: 'transaction'; documentation: string }>)
  | (Common & Readonly<{ kind: 'operation'; resource: FhirResourceType; name: string; documentation: string }>);

export type FhirRouteTable = Readonly<Record<string, FhirRouteDef>>;

/** The policy entries of a route table, for the service's PolicyTable (deny by default). */
export const policiesOf = (table: FhirRouteTable): PolicyTable =>
  Object.fromEntries(Object.values(table).map((r) => [`${r.method} ${r.path}`, r.policy]));

/** Mounts every route of the table with its handler; the roles come from the route's policy. */
export const mountFhirRoutes = <T extends FhirRouteTable>(
  router: Router,
  table: T,
  handlers: { [K in keyof T]: RequestHandler },
): void => {
  // Fewer parameters first, so a literal segment (/fhir/Task/_history) is matched before :id.
  const keys = Object.keys(table).sort((a, b) => params(table[a]!.path) - params(table[b]!.path));
  for (const key of keys) {
    const route = table[key]!;
    const roles = rolesOf(route.policy);
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put';
    router[method](route.path, requireRole(...roles), handlers[key as keyof T]);
  }
};
const params = (path: string): number => path.split('/').filter((s) => s.startsWith(':')).length;

export type CapabilityOptions = Readonly<{
  id: string;
  title: string;
  description: string;
  canonicalBase: string;
  /** Canonicals of the capability statements this server instantiates (e.g. Gravity's recipient). */
  instantiates: readonly string[];
  /** Per resource type: its profiles and what it does not support, in words. */
  resources: Readonly<Record<string, { profile?: string; supportedProfile?: readonly string[]; notes?: string }>>;
  /** What the server as a whole does not do, in words (shown in rest.documentation). */
  unsupported: readonly string[];
  /** Definitions of the custom operations, by name. */
  operations?: Readonly<Record<string, string>>;
  date: string;
  version: string;
}>;

/** The CapabilityStatement of a route table: resources, interactions, search params, operations, includes. */
export const capabilityStatementOf = (
  table: FhirRouteTable,
  options: CapabilityOptions,
  baseUrl: string,
): CapabilityStatement => {
  const routes = Object.values(table);
  const types = [...new Set(routes.flatMap((r) => (r.kind === 'system' ? [] : [r.resource])))].sort();
  const resources = types.map<CapabilityStatementRestResource>((type) => {
    const own = routes.filter((r) => r.kind !== 'system' && r.resource === type);
    const interactions = own.flatMap((r) =>
      r.kind === 'interaction'
        ? [{ code: r.interaction, ...(r.documentation && { documentation: r.documentation }) }]
        : [],
    );
    const search = own.flatMap((r) => (r.kind === 'interaction' ? (r.searchParams ?? []) : []));
    const includes = own.flatMap((r) => (r.kind === 'interaction' ? (r.includes ?? []) : []));
    const operations = own.flatMap((r) =>
      r.kind === 'operation'
        ? [
            {
              name: r.name,
              definition: options.operations?.[r.name] ?? `${options.canonicalBase}/OperationDefinition/${r.name}`,
              documentation: r.documentation,
            },
          ]
        : [],
    );
    const about = options.resources[type] ?? {};
    const hasUpdate = own.some((r) => r.kind === 'interaction' && r.interaction === 'update');
    const hasVread = own.some((r) => r.kind === 'interaction' && r.interaction === 'vread');
    const conditionalCreate = own.some((r) => r.kind === 'interaction' && r.conditionalCreate);
    return {
      type,
      ...(about.profile && { profile: about.profile }),
      ...(about.supportedProfile?.length && { supportedProfile: [...about.supportedProfile] }),
      ...(about.notes && { documentation: about.notes }),
      interaction: interactions,
      versioning: hasVread ? 'versioned' : 'no-version',
      readHistory: hasVread,
      updateCreate: false,
      ...(conditionalCreate && { conditionalCreate: true }),
      ...(hasUpdate && { conditionalUpdate: false }),
      conditionalDelete: 'not-supported',
      ...(includes.length && { searchInclude: includes }),
      ...(search.length && {
        searchParam: search.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
      }),
      ...(operations.length && { operation: operations }),
    };
  });
  const system = routes.flatMap((r) =>
    r.kind === 'system' ? [{ code: r.interaction, documentation: r.documentation }] : [],
  );
  return {
    resourceType: 'CapabilityStatement',
    id: options.id,
    text: narrative([options.title, options.description]),
    url: `${options.canonicalBase}/CapabilityStatement/${options.id}`,
    version: options.version,
    name: options.id.replace(/[^A-Za-z0-9]/g, '_'),
    title: options.title,
    status: 'active',
    date: options.date,
    publisher: 'WoR platform',
    description: options.description,
    kind: 'instance',
    instantiates: [...options.instantiates],
    software: { name: 'WoR platform', version: options.version },
    implementation: { description: options.title, url: baseUrl },
    fhirVersion: FHIR_VERSION,
    format: [FHIR_JSON, 'json'],
    rest: [
      {
        mode: 'server',
        documentation: `Not supported: ${options.unsupported.join('; ')}.`,
        security: {
          cors: true,
          description: 'OAuth2 bearer token (OpenID Connect) on every interaction except metadata.',
        },
        resource: resources,
        ...(system.length && { interaction: system }),
      },
    ],
  };
};

/**
 * The OpenAPI operations of a route table, for the service's document: FHIR resources described by their
 * resourceType (FHIR itself describes the rest, GET /fhir/metadata), every error an OperationOutcome.
 */
export const fhirOperations = (table: FhirRouteTable, idPrefix = 'fhir'): OperationSpec[] => {
  const resource = (type: string) =>
    z.looseObject({ resourceType: z.literal(type) }).meta({ description: `FHIR R4 ${type}` });
  const fhir = (description: string, type: string) => ({ description, schema: resource(type), contentType: FHIR_JSON });
  const metadata: OperationSpec = {
    method: 'get',
    path: '/fhir/metadata',
    operationId: `${idPrefix}Metadata`,
    summary: 'The CapabilityStatement (no token: it holds no data)',
    tags: ['FHIR'],
    public: true,
    errors: 'fhir',
    responses: { 200: fhir('CapabilityStatement', 'CapabilityStatement') },
  };
  return [
    metadata,
    ...Object.entries(table).map(([name, route]): OperationSpec => {
      const returns =
        route.kind === 'system'
          ? 'Bundle'
          : route.kind === 'operation' ||
              (route.kind === 'interaction' && ['search-type', 'history-instance'].includes(route.interaction))
            ? 'Bundle'
            : route.resource;
      const summary =
        route.kind === 'operation'
          ? `$${route.name} on ${route.resource}`
          : route.kind === 'system'
            ? 'transaction (Bundle)'
            : `${route.interaction} ${route.resource}`;
      const query =
        route.kind === 'interaction' && route.searchParams?.length
          ? z.object(
              Object.fromEntries(
                route.searchParams.map((p) => [p.name, z.string().optional().meta({ description: p.documentation })]),
              ),
            )
          : undefined;
      const sends = route.method !== 'GET';
      const body = route.kind === 'system' ? 'Bundle' : route.kind === 'interaction' ? route.resource : undefined;
      const created = route.kind === 'interaction' && route.interaction === 'create';
      return {
        method: route.method.toLowerCase() as OperationSpec['method'],
        path: route.path,
        operationId: `${idPrefix}${name[0]!.toUpperCase()}${name.slice(1)}`,
        summary,
        ...(route.documentation ? { description: route.documentation } : {}),
        tags: ['FHIR'],
        errors: 'fhir',
        ...(query ? { query } : {}),
        ...(sends && body ? { body: { schema: resource(body), contentType: FHIR_JSON } } : {}),
        responses: created
          ? { 201: fhir(`The ${returns}, created`, returns), 200: fhir(`The ${returns} that exists`, returns) }
          : { 200: fhir(returns, returns) },
        problems: [
          400,
          403,
          404,
          ...(sends ? [409, 422] : []),
          ...(route.method === 'PUT' ? [412, 428] : []),
          ...(route.kind === 'interaction' && route.conditionalCreate ? [412] : []),
        ],
      };
    }),
  ];
};

/** The CapabilityStatement as a markdown table for the docs (kept true by a test in each service). */
export const capabilityMarkdown = (cs: CapabilityStatement): string => {
  const rest = cs.rest?.[0];
  const rows = (rest?.resource ?? []).map((r) => {
    const cell = (items: string[]) => (items.length ? items.join(', ') : '—');
    return `| ${r.type} | ${cell((r.interaction ?? []).map((i) => i.code))} | ${cell(
      (r.searchParam ?? []).map((p) => `\`${p.name}\` (${p.type})`),
    )} | ${cell([...(r.searchInclude ?? []).map((i) => `_include=${i}`), ...(r.operation ?? []).map((o) => `$${o.name}`)])} |`;
  });
  const system = (rest?.interaction ?? []).map((i) => i.code).join(', ');
  return [
    '| resource | interactions | search parameters | includes, operations |',
    '| --- | --- | --- | --- |',
    ...rows,
    ...(system ? [`| (system) | ${system} | — | — |`] : []),
    '',
    `FHIR ${cs.fhirVersion}, ${(cs.format ?? []).join(' / ')}. Instantiates: ${
      cs.instantiates?.length ? cs.instantiates.map((c) => `\`${c}\``).join(', ') : 'none'
    }.`,
    '',
    rest?.documentation ?? '',
  ].join('\n');
};

// ---------- narrative, bundles ----------

const escapeXhtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A generated narrative of plain lines (codes and ids only, never personal data). */
export const narrative = (lines: readonly string[]): Narrative => ({
  status: 'generated',
  div: `<div xmlns="http://www.w3.org/1999/xhtml">${lines.map((l) => `<p>${escapeXhtml(l)}</p>`).join('')}</div>`,
});

export type SearchsetInput = Readonly<{
  base: string;
  /** The absolute URL of the search, as fhirSelfOf gives it. */
  self: string;
  total?: number;
  matches: readonly Resource[];
  includes?: readonly Resource[];
  /** Warnings, e.g. ignored search parameters, as an OperationOutcome entry. */
  warnings?: readonly string[];
  links?: readonly BundleLink[];
}>;

const fullUrlOf = (base: string, r: Resource): string => `${base}/${r.resourceType}/${r.id}`;

/** A searchset that validates against base R4: absolute fullUrls, search.mode, a self link, no empty arrays. */
export const searchset = (input: SearchsetInput): Bundle => {
  const entry: BundleEntry[] = [
    ...input.matches.map((r) => ({
      fullUrl: fullUrlOf(input.base, r),
      resource: r,
      search: { mode: 'match' as const },
    })),
    ...(input.includes ?? []).map((r) => ({
      fullUrl: fullUrlOf(input.base, r),
      resource: r,
      search: { mode: 'include' as const },
    })),
  ];
  if (input.warnings?.length)
    entry.push({
      fullUrl: `urn:uuid:${crypto.randomUUID()}`,
      resource: operationOutcome(
        input.warnings.map((w) => ({ severity: 'warning', code: 'not-supported', diagnostics: w })),
      ),
      search: { mode: 'outcome' },
    });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(input.total !== undefined && { total: input.total }),
    link: [{ relation: 'self', url: input.self }, ...(input.links ?? [])],
    ...(entry.length && { entry }),
  };
};

// ---------- OperationOutcome ----------

type IssueCode = OperationOutcomeIssue['code'];
const ISSUE_CODES: Readonly<Record<number, IssueCode>> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  410: 'deleted',
  412: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  422: 'invalid',
  428: 'required',
  429: 'throttled',
  503: 'transient',
};
export const issueCodeOf = (status: number): IssueCode =>
  ISSUE_CODES[status] ?? (status >= 500 ? 'exception' : 'processing');

/** A FHIRPath starts with the resource type (`Task.output[0]`); anything else (a search parameter) is not one. */
const isFhirPath = (path: string): boolean => /^[A-Z][A-Za-z]*(\.|\[|$)/.test(path);

export const operationOutcome = (issue: OperationOutcomeIssue[]): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  text: narrative(issue.map((i) => `${i.severity} (${i.code}): ${i.diagnostics ?? ''}`)),
  issue,
});

/** The OperationOutcome of a problem: one issue per validation error, with its FHIRPath as expression. */
export const operationOutcomeOf = (p: HttpProblem): OperationOutcome => {
  const code = issueCodeOf(p.status);
  const severity = p.status >= 500 ? 'fatal' : 'error';
  const errors = Array.isArray(p.extra.errors) ? (p.extra.errors as ValidationError[]) : [];
  const errorId = typeof p.extra.errorId === 'string' ? ` (errorId ${p.extra.errorId})` : '';
  const issues: OperationOutcomeIssue[] = errors.length
    ? errors.map((e) =>
        isFhirPath(e.path)
          ? { severity, code, diagnostics: e.message, expression: [e.path] }
          : { severity, code, diagnostics: e.path ? `${e.path}: ${e.message}` : e.message },
      )
    : [{ severity, code, diagnostics: `${p.detail ?? p.title}${errorId}` }];
  return operationOutcome(issues);
};

/** Paths whose clients speak FHIR: the FHIR API, and the referral channel's document endpoint. */
const FHIR_PATHS = [FHIR_PREFIX, '/zorgdomein/Bundle'];
/** Whether a request path is answered in FHIR (OperationOutcome on errors). */
export const isFhirRoute = (path: string): boolean =>
  FHIR_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
export const isFhirRequest = (req: Request): boolean => isFhirRoute(req.path);

export const sendOperationOutcome = (res: Response, p: HttpProblem): void => {
  for (const [name, value] of Object.entries(p.headers)) res.setHeader(name, value);
  res
    .status(p.status)
    .type(FHIR_JSON)
    .send(JSON.stringify(operationOutcomeOf(p)));
};

export const sendFhir = (res: Response, status: number, body: unknown): void => {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
};

/** `Consent` + zod path ['provision', 'actor', 0] → `Consent.provision.actor[0]`. */
export const fhirPathFromZod = (root: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), root);
