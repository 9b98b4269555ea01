// Who may call which endpoint of the reporting service: the one table enforcePolicies applies
// (deny by default) and the security tests generate their authorisation matrix from.
// Aggregates only, each caller only of the municipality in their token (an admin of any); the
// handlers compare the requested municipality with the token's.
import type { EndpointPolicy, PolicyTable } from '@wor/service-kit';

const municipal: EndpointPolicy = {
  roles: ['reporting-consumer', 'coordinator', 'admin'],
  scope: 'municipality',
  unscoped: ['admin'],
};

export const reportingPolicies: PolicyTable = {
  // Exact monthly counts are operational figures for the coordinator; reporting consumers get
  // aggregates only through the suppressed extracts and dashboards.
  'GET /referral-counts': { roles: ['coordinator', 'admin'], scope: 'municipality', unscoped: ['admin'] },
  'GET /extracts/gala': municipal,
  'GET /dashboards/thermometer': municipal,
  'GET /dashboards/practices': municipal,
  'GET /dashboards/trends': municipal,
  'GET /dashboards/capacity': municipal,
  'PUT /practices/:practiceId/list-size': municipal,
  'GET /practices': municipal,
};
