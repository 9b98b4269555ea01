// Who may call which endpoint of the referral service: the one table enforcePolicies applies
// (deny by default) and the security tests generate their authorisation matrix from.
// Every endpoint is scoped to the caller's organisation: a GP system's is its practice, a coach's
// and coordinator's their welfare organisation; the handlers then return 404 for a referral of
// any other organisation (object level).
import type { EndpointPolicy, PolicyTable, Role } from '@wor/service-kit';

const REFERRER: Role[] = ['gp-system', 'referrer'];
const ORGANISATION: Role[] = ['coordinator', 'coach'];
const PARTIES: Role[] = [...REFERRER, ...ORGANISATION];
const scoped = (roles: Role[]): EndpointPolicy => ({ roles, scope: 'organisation' });

const steps: Record<string, Role[]> = {
  accept: ['coordinator'],
  reject: ['coordinator'],
  coach: ORGANISATION,
  'contact-attempts': ORGANISATION,
  intake: ORGANISATION,
  activities: ORGANISATION,
  hold: ORGANISATION,
  resume: ORGANISATION,
  complete: ORGANISATION,
  fail: ORGANISATION,
  cancel: PARTIES,
  'entered-in-error': REFERRER,
};

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
  ...Object.fromEntries(
    Object.entries(steps).map(([path, roles]) => [`POST /referrals/:referralId/${path}`, scoped(roles)]),
  ),
  'GET /work-queues/organisation': scoped(ORGANISATION),
  'GET /work-queues/mine': scoped(['coach']),
  'POST /fhir/ServiceRequest': scoped(REFERRER),
  'POST /fhir/Task': scoped(REFERRER),
  'POST /fhir': scoped(REFERRER),
  'GET /fhir/ServiceRequest/:id': scoped(PARTIES),
  'GET /fhir/Task/:id': scoped(PARTIES),
  'GET /fhir/Task': scoped(PARTIES),
  'GET /fhir/Task/:id/$feedback': scoped(PARTIES),
  'GET /fhir/Communication': scoped(PARTIES),
  // AVG art. 15: across organisations; the consent service forwards the officer's own token.
  // A refused look into a person's report is itself an access-log entry (NEN 7513 logs denials).
  'GET /subjects/:subjectId/report': { roles: ['privacy-officer'], scope: 'none', auditDenied: 'subject-report' },
};
