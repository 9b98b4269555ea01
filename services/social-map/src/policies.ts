// Who may call which endpoint of the social-map service: the one table enforcePolicies applies
// (deny by default) and the security tests generate their authorisation matrix from.
// The map is readable by every authenticated caller (it holds no personal data); it is kept by
// key-users, each only for the municipality in their token (the handlers check the key-user
// register of that municipality and the entry's municipality).
import type { EndpointPolicy, PolicyTable } from '@wor/service-kit';

const read: EndpointPolicy = { roles: 'authenticated', scope: 'none' };
const keeper: EndpointPolicy = { roles: ['key-user'], scope: 'municipality' };

export const socialMapPolicies: PolicyTable = {
  'GET /': read,
  'GET /services': read,
  'GET /services/:id': read,
  'GET /organizations': read,
  'GET /organizations/:id': read,
  'GET /locations': read,
  'GET /locations/:id': read,
  'GET /service_at_locations': read,
  'GET /service_at_locations/:id': read,
  'GET /taxonomies': read,
  'GET /taxonomies/:id': read,
  'GET /taxonomy_terms': read,
  'GET /taxonomy_terms/:id': read,
  'GET /exports/hsds': read,
  'GET /exports/hsds/tabular': read,
  'GET /stale-services': keeper,
  'GET /statistics': keeper,
  'POST /services': keeper,
  'PUT /services/:id': keeper,
  'POST /services/:id/capacity': keeper,
  'POST /services/:id/review': keeper,
  'POST /services/:id/retire': keeper,
  'GET /services/:id/history': keeper,
  'POST /organizations': keeper,
  'PUT /organizations/:id': keeper,
  'POST /organizations/:id/locations': keeper,
  'GET /organizations/:id/history': keeper,
  'GET /key-users': keeper,
  'POST /key-users': keeper,
  'DELETE /key-users/:keyUserId': keeper,
  'POST /imports/hsds': keeper,
  'POST /imports/hsds/tabular': keeper,
};
