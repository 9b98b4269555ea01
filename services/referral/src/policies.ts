// Who may call which endpoint of the referral service: the one table enforcePolicies applies
// (deny by default) and the security tests generate their authorisation matrix from.
// Every endpoint is scoped to the caller's organisation: a GP system's is its practice, a coach's
// and coordinator's their welfare organisation; the handlers then return 404 for a referral of
// any other organisation (object level).
import { policiesOf, type EndpointPolicy, type PolicyTable, type Role } from '@wor/service-kit';
import { REFERRAL_FHIR_ROUTES } from './fhir/routes';
import { ORGANISATION, REFERRER, STEPS } from './referral/steps';

const PARTIES: readonly Role[] = [...REFERRER, ...ORGANISATION];
const scoped = (roles: readonly Role[]): EndpointPolicy => ({ roles, scope: 'organisation' });

export const referralPolicies: PolicyTable = {
  'POST /referrals': scoped(REFERRER),
  'GET /referrals/:referralId': scoped(PARTIES),
  'GET /referrals/:referralId/personal-details': scoped(ORGANISATION),
  // Need-to-know: a coach who is not the referral's declares a takeover to read (need-to-know/api.ts).
  'POST /referrals/:referralId/personal-details/declared-read': scoped(ORGANISATION),
  // The organisation's privacy settings: its coordinators, or an admin for any organisation.
  'GET /organisations/:organisationId/settings': {
    roles: ['coordinator', 'admin'],
    scope: 'organisation',
    unscoped: ['admin'],
  },
  'PUT /organisations/:organisationId/settings': {
    roles: ['coordinator', 'admin'],
    scope: 'organisation',
    unscoped: ['admin'],
  },
  'GET /referrals/:referralId/feedback': scoped(PARTIES),
  ...Object.fromEntries(STEPS.map((step) => [`POST /referrals/:referralId/${step.path}`, scoped(step.roles)])),
  'GET /work-queues/organisation': scoped(ORGANISATION),
  'GET /work-queues/mine': scoped(['coach']),
  ...policiesOf(REFERRAL_FHIR_ROUTES),
  // Capacity: planned by the coordinator; read by whoever refers, before referring, and by the organisation.
  'PUT /capacity/plans/:month': scoped(['coordinator']),
  'GET /capacity/organisations/:organisationId': scoped(PARTIES),
  'GET /referrals/:referralId/waiting-position': scoped(PARTIES),
  // The ZorgDomein channel acts for many practices: its credential carries no organisation.
  'POST /zorgdomein/Bundle': { roles: ['referral-channel'], scope: 'none' },
  'GET /zorgdomein/Bundle/:documentId': { roles: ['referral-channel'], scope: 'none' },
  'GET /zorgdomein/held': scoped(['coordinator']),
  'GET /zorgdomein/addresses': scoped(['coordinator']),
  'PUT /zorgdomein/addresses': scoped(['coordinator']),
  // AVG art. 15: across organisations; the consent service forwards the officer's own token.
  // A refused look into a person's report is itself an access-log entry (NEN 7513 logs denials).
  'GET /subjects/:subjectId/report': { roles: ['privacy-officer'], scope: 'none', auditDenied: 'subject-report' },
};
