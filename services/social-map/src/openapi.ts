// The social-map service's operations, from which its OpenAPI 3.1 document is built (served at
// /openapi.json, reference page at /docs). Request schemas are the ones the routes validate with;
// HSDS entities are described by the fields HSDS 3.0 requires, the rest as the HSDS schemas define.
import { openApiDocument, type HeaderParameter, type OperationSpec } from '@wor/service-kit';
import { z } from 'zod';
import {
  IdParams,
  ListQuery,
  MonthRange,
  OrganizationQuery,
  ServiceAtLocationsQuery,
  ServicesQuery,
  TaxonomyQuery,
  TermQuery,
} from './directory/api';
import { PageQuery } from './directory/page';
import { ExportQuery, TabularBody } from './exchange/api';
import { LocationInput, OrganizationInput, ServiceInput } from './hsds/input';
import { AppointBody, KeyUserParams } from './key-users/api';
import { CapacityBody } from './services/api';

const Id = z.uuid();
const page = <T extends z.ZodType>(item: T) =>
  z.object({
    total_items: z.number().int(),
    total_pages: z.number().int(),
    page_number: z.number().int(),
    size: z.number().int(),
    first_page: z.boolean(),
    last_page: z.boolean(),
    empty: z.boolean(),
    contents: z.array(item),
  });

// HSDS 3.0 entities: the required fields; everything else the HSDS schemas allow may be there.
const Service = z.looseObject({ id: Id, name: z.string(), status: z.string() });
const Organization = z.looseObject({ id: Id, name: z.string() });
const Location = z.looseObject({ id: Id, location_type: z.string() });
const ServiceAtLocation = z.looseObject({ id: Id, service_id: Id });
const Taxonomy = z.looseObject({ id: Id, name: z.string(), description: z.string() });
const TaxonomyTerm = z.looseObject({ id: Id, name: z.string(), description: z.string() });

const ifMatch: HeaderParameter = {
  name: 'If-Match',
  required: false,
  description: 'The ETag as last read; a change based on another version is refused with 412.',
};
const etag = { ETag: { description: 'The version of the entry', schema: { type: 'string' } } };
const Changed = z.looseObject({ id: Id, changed: z.array(z.string()) });
const History = z.object({
  id: Id,
  history: z.array(z.looseObject({ version: z.number().int(), type: z.string(), data: z.looseObject({}) })),
});
const DataSet = z.looseObject({}).describe('An HSDS 3.0 data set: organizations, services, locations and the rest');
const ImportSummary = z.looseObject({ municipality: z.string() });

const keeperProblems = [403, 404, 409, 412, 422];
const read = (
  path: string,
  operationId: string,
  summary: string,
  schema: z.ZodType,
  query?: z.ZodType,
): OperationSpec => ({
  method: 'get',
  path,
  operationId,
  summary,
  tags: ['HSDS'],
  ...(path.includes(':id') ? { params: IdParams } : {}),
  ...(query ? { query } : {}),
  responses: { 200: { description: summary, schema } },
  problems: path.includes(':id') ? [404, 422] : [422],
});

const operations: OperationSpec[] = [
  {
    method: 'get',
    path: '/',
    operationId: 'apiMetadata',
    summary: 'HSDS API metadata: version and profile',
    tags: ['HSDS'],
    responses: {
      200: {
        description: 'HSDS version, profile and API description',
        schema: z.object({ version: z.string(), profile: z.string(), openapi_url: z.string() }),
      },
    },
  },
  read(
    '/services',
    'listServices',
    'Search services (paged); with minimal, each service as id and last_modified only',
    page(z.union([Service, z.object({ id: Id, last_modified: z.string() })])),
    ServicesQuery,
  ),
  {
    ...read('/services/:id', 'getService', 'A service with its organization and locations', Service),
    responses: { 200: { description: 'The service, nested', schema: Service, headers: etag } },
  },
  read('/organizations', 'listOrganizations', 'Organizations (paged)', page(Organization), ListQuery),
  read(
    '/organizations/:id',
    'getOrganization',
    'An organization with its locations (and its services in full with full_service)',
    Organization,
    OrganizationQuery,
  ),
  read('/locations', 'listLocations', 'Locations (paged)', page(Location), ListQuery),
  read('/locations/:id', 'getLocation', 'A location', Location),
  read(
    '/service_at_locations',
    'listServiceAtLocations',
    'Services at locations (paged)',
    page(ServiceAtLocation),
    ServiceAtLocationsQuery,
  ),
  read('/service_at_locations/:id', 'getServiceAtLocation', 'A service at a location', ServiceAtLocation),
  read('/taxonomies', 'listTaxonomies', 'Taxonomies (paged)', page(Taxonomy), TaxonomyQuery),
  read('/taxonomies/:id', 'getTaxonomy', 'A taxonomy', Taxonomy),
  read('/taxonomy_terms', 'listTaxonomyTerms', 'Taxonomy terms (paged)', page(TaxonomyTerm), TermQuery),
  read('/taxonomy_terms/:id', 'getTaxonomyTerm', 'A taxonomy term', TaxonomyTerm),
  {
    method: 'get',
    path: '/stale-services',
    operationId: 'staleServices',
    summary: "Services of the key-user's municipality not reviewed for too long (paged)",
    tags: ['key-users'],
    query: z.object(PageQuery),
    responses: { 200: { description: 'Stale services', schema: page(Service) } },
    problems: [403, 422],
  },
  {
    method: 'get',
    path: '/statistics',
    operationId: 'statistics',
    summary: 'Views and referrals per service and month',
    tags: ['key-users'],
    query: MonthRange,
    responses: {
      200: {
        description: 'Statistics of the municipality',
        schema: z.object({
          municipality: z.string(),
          from: z.string(),
          to: z.string(),
          entries: z.array(z.looseObject({})),
        }),
      },
    },
    problems: [403, 422],
  },
  {
    method: 'post',
    path: '/services',
    operationId: 'publishService',
    summary: 'Publish a service on the map',
    tags: ['key-users'],
    body: ServiceInput,
    responses: {
      201: {
        description: 'Published',
        schema: z.object({ id: Id, status: z.literal('published') }),
        headers: etag,
      },
    },
    problems: keeperProblems,
  },
  {
    method: 'put',
    path: '/services/:id',
    operationId: 'reviseService',
    summary: 'Revise a service',
    tags: ['key-users'],
    params: IdParams,
    headers: [ifMatch],
    body: ServiceInput,
    responses: { 200: { description: 'What changed', schema: Changed, headers: etag } },
    problems: keeperProblems,
  },
  {
    method: 'post',
    path: '/services/:id/capacity',
    operationId: 'setCapacity',
    summary: 'Set the capacity status (room, waiting list, full)',
    tags: ['key-users'],
    params: IdParams,
    headers: [ifMatch],
    body: CapacityBody,
    responses: {
      200: {
        description: 'The capacity, set',
        schema: Changed.extend({ capacity_status: z.string() }),
        headers: etag,
      },
    },
    problems: keeperProblems,
  },
  {
    method: 'post',
    path: '/services/:id/review',
    operationId: 'reviewService',
    summary: 'Mark a service as reviewed (no longer stale)',
    tags: ['key-users'],
    params: IdParams,
    headers: [ifMatch],
    responses: { 200: { description: 'Reviewed', schema: Changed, headers: etag } },
    problems: keeperProblems,
  },
  {
    method: 'post',
    path: '/services/:id/retire',
    operationId: 'retireService',
    summary: 'Retire a service from the map',
    tags: ['key-users'],
    params: IdParams,
    headers: [ifMatch],
    responses: {
      200: { description: 'Retired', schema: Changed.extend({ status: z.literal('retired') }), headers: etag },
    },
    problems: keeperProblems,
  },
  {
    method: 'get',
    path: '/services/:id/history',
    operationId: 'serviceHistory',
    summary: 'Every change of a service',
    tags: ['key-users'],
    params: IdParams,
    responses: { 200: { description: 'The history', schema: History } },
    problems: [403, 404, 422],
  },
  {
    method: 'post',
    path: '/organizations',
    operationId: 'registerOrganization',
    summary: 'Register an organization',
    tags: ['key-users'],
    body: OrganizationInput,
    responses: { 201: { description: 'Registered', schema: z.object({ id: Id }), headers: etag } },
    problems: keeperProblems,
  },
  {
    method: 'put',
    path: '/organizations/:id',
    operationId: 'reviseOrganization',
    summary: 'Revise an organization',
    tags: ['key-users'],
    params: IdParams,
    headers: [ifMatch],
    body: OrganizationInput,
    responses: { 200: { description: 'What changed', schema: Changed, headers: etag } },
    problems: keeperProblems,
  },
  {
    method: 'post',
    path: '/organizations/:id/locations',
    operationId: 'addLocation',
    summary: 'Add a location to an organization',
    tags: ['key-users'],
    params: IdParams,
    body: LocationInput,
    responses: { 201: { description: 'Added', schema: z.object({ id: Id, organization_id: Id }) } },
    problems: keeperProblems,
  },
  {
    method: 'get',
    path: '/organizations/:id/history',
    operationId: 'organizationHistory',
    summary: 'Every change of an organization',
    tags: ['key-users'],
    params: IdParams,
    responses: { 200: { description: 'The history', schema: History } },
    problems: [403, 404, 422],
  },
  {
    method: 'get',
    path: '/key-users',
    operationId: 'listKeyUsers',
    summary: "The municipality's key-users",
    tags: ['key-users'],
    responses: {
      200: {
        description: 'Key-users',
        schema: z.object({
          municipality: z.string(),
          key_users: z.array(z.object({ key_user_id: z.string(), appointed_at: z.string(), appointed_by: z.string() })),
        }),
      },
    },
    problems: [403],
  },
  {
    method: 'post',
    path: '/key-users',
    operationId: 'appointKeyUser',
    summary: 'Appoint a key-user (municipal account)',
    tags: ['key-users'],
    body: AppointBody,
    responses: {
      201: {
        description: 'Appointed',
        schema: z.object({ key_user_id: z.string(), municipality: z.string(), status: z.literal('appointed') }),
      },
      200: {
        description: 'Was appointed already',
        schema: z.object({ key_user_id: z.string(), municipality: z.string(), status: z.literal('appointed') }),
      },
    },
    problems: [403, 422],
  },
  {
    method: 'delete',
    path: '/key-users/:keyUserId',
    operationId: 'revokeKeyUser',
    summary: 'Revoke a key-user',
    tags: ['key-users'],
    params: KeyUserParams,
    responses: {
      200: {
        description: 'Revoked',
        schema: z.object({ key_user_id: z.string(), municipality: z.string(), status: z.literal('revoked') }),
      },
    },
    problems: [403, 404, 422],
  },
  {
    method: 'post',
    path: '/imports/hsds',
    operationId: 'importHsds',
    summary: 'Import an HSDS 3.0 data set (JSON), all or nothing, with a validation report',
    tags: ['exchange'],
    body: DataSet,
    responses: { 201: { description: 'What was imported', schema: ImportSummary } },
    problems: [403, 413, 422],
  },
  {
    method: 'post',
    path: '/imports/hsds/tabular',
    operationId: 'importHsdsTabular',
    summary: 'Import an HSDS 3.0 data set as CSV files by name, all or nothing',
    tags: ['exchange'],
    body: TabularBody,
    responses: { 201: { description: 'What was imported', schema: ImportSummary } },
    problems: [403, 413, 422],
  },
  {
    method: 'get',
    path: '/exports/hsds',
    operationId: 'exportHsds',
    summary: "Export the municipality's map as an HSDS 3.0 data set (JSON)",
    tags: ['exchange'],
    query: ExportQuery,
    responses: { 200: { description: 'The data set', schema: DataSet.extend({ municipality: z.string() }) } },
    problems: [422],
  },
  {
    method: 'get',
    path: '/exports/hsds/tabular',
    operationId: 'exportHsdsTabular',
    summary: "Export the municipality's map as HSDS CSV files by name",
    tags: ['exchange'],
    query: ExportQuery,
    responses: {
      200: {
        description: 'CSV text by file name',
        schema: z.object({ municipality: z.string(), files: z.record(z.string(), z.string()) }),
      },
    },
    problems: [422],
  },
];

export const socialMapOperations: readonly OperationSpec[] = operations;

export const socialMapOpenApi = openApiDocument(
  {
    title: 'WoR social-map service (sociale kaart)',
    version: '0.2.0',
    description:
      'The sociale kaart in Open Referral HSDS 3.0: the HSDS read API for anyone signed in, kept by key-users of each municipality; import and export of HSDS data sets. Bearer JWT required; see docs/security.md for roles.',
    tags: {
      HSDS: 'The Open Referral HSDS 3.0 read API, for anyone signed in',
      'key-users': "Keeping the municipality's map: entries, capacity, reviews, key-users, statistics",
      exchange: 'HSDS 3.0 data sets in and out, as JSON and as CSV files',
    },
  },
  socialMapOperations,
);
