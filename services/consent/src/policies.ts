// Who may call which endpoint of the consent service: the one table enforcePolicies applies
// (deny by default) and the security tests generate their authorisation matrix from.
// Privacy officers and admins act across organisations; everyone else only about sharing their own
// organisation takes part in (the handlers check the organisations named in the request).
import { policiesOf, type EndpointPolicy, type PolicyTable, type Role } from '@wor/service-kit';
import { CONSENT_FHIR_ROUTES } from './fhir/routes';

const ACROSS: Role[] = ['privacy-officer', 'admin'];
const scoped = (roles: Role[]): EndpointPolicy => ({ roles, scope: 'organisation', unscoped: ACROSS });
const officers: EndpointPolicy = { roles: ACROSS, scope: 'none' };
/** Refusals of the privacy officer's tools are themselves written to the access log. */
const oversight = (resource: string): EndpointPolicy => ({
  roles: ['privacy-officer'],
  scope: 'none',
  auditDenied: resource,
});
const deciders: Role[] = ['gp-system', 'referrer', 'coach', 'coordinator', 'privacy-officer', 'admin'];

export const consentPolicies: PolicyTable = {
  'POST /consents': scoped(['gp-system', 'referrer', 'admin']),
  'GET /consents/:consentId': scoped(['gp-system', 'referrer', 'privacy-officer', 'admin']),
  'POST /consents/:consentId/withdraw': scoped(['gp-system', 'referrer', 'privacy-officer', 'admin']),
  ...policiesOf(CONSENT_FHIR_ROUTES),
  'POST /agreements': officers,
  'POST /agreements/:agreementId/activate': officers,
  'POST /agreements/:agreementId/terminate': officers,
  'GET /agreements/expiring': officers,
  'GET /agreements/:agreementId': scoped(['privacy-officer', 'admin', 'gp-system', 'coordinator']),
  'GET /agreements': scoped(['privacy-officer', 'admin', 'coordinator']),
  'POST /access-decisions': scoped(deciders),
  'GET /access-decisions/stream': scoped(deciders),
  'GET /access-log': oversight('access-log'),
  'POST /access-log/search': oversight('access-log'),
  'GET /access-log/denied': oversight('access-log'),
  'POST /access-log/overview': oversight('access-log'),
  'GET /access-log/verify': oversight('access-log'),
  'POST /subject-rights/access-report': oversight('subject-rights'),
  'POST /subject-rights/erasure': oversight('subject-rights'),
};
