// Access-log completeness (issue 16 item 4), generated from the services' policy tables: every route of
// every service is classified here, so a new route fails the first test until someone says whether it
// touches personal data. Each route that returns or accepts personal data has a probe: a real call by a
// caller of its own (a unique `sub`), after which the consent service's access log must hold an entry by
// that caller. Routes with personal data that this test does not call yet are listed, with the test
// that covers them, in NOT_PROBED: the list is the honest remainder, not a pass.
import { parsePolicyKey } from '@wor/service-kit';
import { eventually } from '@wor/test-support';
import { randomUUID } from 'node:crypto';
import { call, type Platform, SERVICES, type ServiceName, startPlatform } from './platform';
import { agreeAndConsent, callerFor, ORG, referralBody, type Seed, submitReferral } from './world';

jest.setTimeout(180_000);

const seed: Seed = {
  bsn: '100000174',
  given: 'Volledig',
  family: 'Logboek',
  phone: '0611100174',
  email: 'volledig@example.org',
  urgencyNote: 'completeness',
};

type World = { platform: Platform; referralId: string; consentId: string; subjectId: string };
/** One call with personal data in its answer or its body, as `sub`. */
type Probe = (w: World, sub: string) => Promise<{ status: number }>;

const as = (role: Parameters<typeof callerFor>[0], sub: string) => ({ ...callerFor(role, 'own'), sub });
const consentBody = (bsn: string) => ({
  patient: { bsn },
  recipientOrganisationId: ORG.own.welfare,
  purposes: ['wor-referral'],
  dataCategories: ['contact-details'],
  evidence: { method: 'signed', documentReference: 'doc-completeness' },
});
const fhirConsent = (bsn: string) => ({
  resourceType: 'Consent',
  status: 'active',
  patient: { identifier: { system: 'http://fhir.nl/fhir/NamingSystem/bsn', value: bsn } },
  provision: { type: 'permit' },
});

const PROBES: Record<string, Probe> = {
  'referral POST /referrals': (w, sub) =>
    call(as('gp-system', sub), 'POST', `${w.platform.urls.referral}/referrals`, referralBody(w.consentId, seed)),
  'referral GET /referrals/:referralId/personal-details': (w, sub) =>
    call(as('coordinator', sub), 'GET', `${w.platform.urls.referral}/referrals/${w.referralId}/personal-details`),
  'referral POST /referrals/:referralId/personal-details/declared-read': (w, sub) =>
    call(
      as('coach', sub),
      'POST',
      `${w.platform.urls.referral}/referrals/${w.referralId}/personal-details/declared-read`,
      { reason: 'urgent-contact' },
    ),
  'referral GET /referrals/:referralId/feedback': (w, sub) =>
    call(as('gp-system', sub), 'GET', `${w.platform.urls.referral}/referrals/${w.referralId}/feedback`),
  'referral GET /subjects/:subjectId/report': (w, sub) =>
    call(as('privacy-officer', sub), 'GET', `${w.platform.urls.referral}/subjects/${w.subjectId}/report`),
  'consent POST /consents': (w, sub) =>
    call(as('gp-system', sub), 'POST', `${w.platform.urls.consent}/consents`, consentBody('100000186')),
  'consent GET /consents/:consentId': (w, sub) =>
    call(as('gp-system', sub), 'GET', `${w.platform.urls.consent}/consents/${w.consentId}`),
  'consent POST /consents/:consentId/withdraw': async (w, sub) => {
    const other = await call(as('gp-system', `${sub}-setup`), 'POST', `${w.platform.urls.consent}/consents`, {
      ...consentBody('100000198'),
    });
    return call(as('gp-system', sub), 'POST', `${w.platform.urls.consent}/consents/${other.body.consentId}/withdraw`);
  },
  'consent POST /fhir/Consent': (w, sub) =>
    call(as('gp-system', sub), 'POST', `${w.platform.urls.consent}/fhir/Consent`, fhirConsent('100000204')),
  'consent GET /fhir/Consent/:id': (w, sub) =>
    call(as('gp-system', sub), 'GET', `${w.platform.urls.consent}/fhir/Consent/${w.consentId}`),
  'consent GET /fhir/Consent': (w, sub) =>
    call(as('privacy-officer', sub), 'GET', `${w.platform.urls.consent}/fhir/Consent?patient=${w.subjectId}`),
  'consent PUT /fhir/Consent/:id': (w, sub) =>
    call(as('gp-system', sub), 'PUT', `${w.platform.urls.consent}/fhir/Consent/${w.consentId}`, {
      resourceType: 'Consent',
      id: w.consentId,
      status: 'active',
    }),
  'consent POST /access-decisions': (w, sub) =>
    call(as('gp-system', sub), 'POST', `${w.platform.urls.consent}/access-decisions`, {
      patient: { bsn: seed.bsn },
      organisationId: ORG.own.welfare,
      partnerOrganisationId: ORG.own.practice,
      purpose: 'wor-referral',
      dataCategory: 'contact-details',
    }),
  'consent GET /access-log': (w, sub) =>
    call(as('privacy-officer', sub), 'GET', `${w.platform.urls.consent}/access-log?subjectId=${w.subjectId}`),
  'consent POST /access-log/search': (w, sub) =>
    call(as('privacy-officer', sub), 'POST', `${w.platform.urls.consent}/access-log/search`, {
      patient: { bsn: seed.bsn },
    }),
  'consent GET /access-log/denied': (w, sub) =>
    call(as('privacy-officer', sub), 'GET', `${w.platform.urls.consent}/access-log/denied`),
  'consent POST /access-log/overview': (w, sub) =>
    call(as('privacy-officer', sub), 'POST', `${w.platform.urls.consent}/access-log/overview`, {
      subjectId: w.subjectId,
    }),
  'consent POST /subject-rights/access-report': (w, sub) =>
    call(as('privacy-officer', sub), 'POST', `${w.platform.urls.consent}/subject-rights/access-report`, {
      patient: { bsn: seed.bsn },
    }),
};

/** Routes with personal data this test does not call yet, and where their logging is tested instead. */
const NOT_PROBED: Record<string, string> = {
  'referral POST /fhir/ServiceRequest': 'accepts a contained Patient; logged like POST /referrals (fhir-referral.int)',
  'referral POST /fhir': 'a transaction Bundle with a contained Patient (fhir-referral.int)',
  'referral POST /referrals/:referralId/accept': 'may carry a feedback message (referral api.int)',
  'referral POST /referrals/:referralId/reject': 'may carry a feedback message (referral api.int)',
  'referral POST /referrals/:referralId/intake': 'carries goal texts (referral api.int)',
  'referral POST /referrals/:referralId/complete': 'may carry a feedback message (referral api.int)',
  'referral POST /referrals/:referralId/fail': 'may carry a feedback message (referral api.int)',
  'referral POST /referrals/:referralId/cancel': 'may carry a feedback message (referral api.int)',
  'consent GET /access-decisions/stream': 'a server-sent event stream (no-oracle.int)',
  'referral POST /zorgdomein/Bundle':
    'a referral document with the patient: its receipt is logged as C (zorgdomein.int)',
  'consent POST /subject-rights/erasure': 'destroys the subject (erasure.int)',
};

/** Routes whose answers and bodies hold no personal data: codes, ids, aggregates, the social map. */
const NO_PERSONAL_DATA: Record<string, string> = {
  'referral GET /referrals/:referralId': 'codes and ids only',
  'referral POST /referrals/:referralId/coach': 'a coach id',
  'referral POST /referrals/:referralId/contact-attempts': 'reached or not, and when',
  'referral POST /referrals/:referralId/activities': 'a social-map service id',
  'referral POST /referrals/:referralId/hold': 'a reason code',
  'referral POST /referrals/:referralId/resume': 'no body',
  'referral POST /referrals/:referralId/entered-in-error': 'no body',
  'referral GET /work-queues/organisation': 'codes only (projection without personal data)',
  'referral GET /work-queues/mine': 'codes only (projection without personal data)',
  'referral POST /fhir/Task': 'codes and references',
  'referral GET /fhir/ServiceRequest/:id': 'the pseudonymous subject, codes (never the contained Patient)',
  'referral GET /fhir/Task/:id': 'codes and references',
  'referral GET /fhir/Task': 'codes and references',
  'referral GET /fhir/Task/:id/$feedback': 'outcome codes',
  'referral GET /fhir/Communication': 'feedback codes; messages only through GET /referrals/{id}/feedback',
  'referral GET /fhir/ServiceRequest/:id/_history/:vid': 'the pseudonymous subject, codes (as the read)',
  'referral GET /fhir/ServiceRequest/:id/_history': 'the pseudonymous subject, codes (as the read)',
  'referral GET /fhir/Task/:id/_history/:vid': 'codes and references',
  'referral GET /fhir/Task/:id/_history': 'codes and references',
  'referral PUT /fhir/Task/:id': 'codes and references: the REST steps without messages (fhir-task-update.int)',
  'referral GET /fhir/HealthcareService': "an organisation's capacity",
  'referral GET /fhir/HealthcareService/:id': "an organisation's capacity",
  'referral POST /fhir/Subscription': "a practice's endpoint and filter: organisation ids, no personal data",
  'referral GET /fhir/Subscription/:id': 'the subscription: organisation ids and an endpoint',
  'referral GET /fhir/Subscription': 'subscriptions: organisation ids and endpoints',
  'referral PUT /fhir/Subscription/:id': 'turns a subscription off',
  'referral GET /fhir/Subscription/:id/$status': 'counts and delivery errors',
  'referral PUT /capacity/plans/:month': "an organisation's coach hours",
  'referral GET /capacity/organisations/:organisationId': "an organisation's capacity",
  'referral GET /referrals/:referralId/waiting-position': 'a place in the queue',
  'referral GET /zorgdomein/Bundle/:documentId': 'what became of a document: ids',
  'referral GET /zorgdomein/held': 'ids and codes of held documents',
  'referral GET /zorgdomein/addresses': 'organisation identifiers',
  'referral PUT /zorgdomein/addresses': 'organisation identifiers',
  'referral GET /organisations/:organisationId/settings': "an organisation's setting",
  'referral PUT /organisations/:organisationId/settings': "an organisation's setting",
  'consent POST /agreements': 'agreements are between organisations',
  'consent POST /agreements/:agreementId/activate': 'agreements are between organisations',
  'consent POST /agreements/:agreementId/terminate': 'agreements are between organisations',
  'consent GET /agreements/expiring': 'agreements are between organisations',
  'consent GET /agreements/:agreementId': 'agreements are between organisations',
  'consent GET /agreements': 'agreements are between organisations',
  'consent GET /access-log/verify': "the chain's state: positions and hashes",
};

/** Whole services that keep nothing about patients. */
const SERVICES_WITHOUT_PERSONAL_DATA: Partial<Record<ServiceName, string>> = {
  'social-map': 'the sociale kaart: organisations and services, nothing about patients',
  reporting: 'pseudonymous facts and aggregates, no subject id',
};

const routeKeys = SERVICES.flatMap((s) => Object.keys(s.policies).map((key) => `${s.name} ${key}`));

it('classifies every route of every policy table (a new route fails here until it is classified)', () => {
  const classified = (k: string) =>
    [k in PROBES, k in NOT_PROBED, k in NO_PERSONAL_DATA, k.split(' ')[0]! in SERVICES_WITHOUT_PERSONAL_DATA].filter(
      Boolean,
    ).length;
  expect(routeKeys.filter((k) => classified(k) !== 1)).toEqual([]);
  const stale = [...Object.keys(PROBES), ...Object.keys(NOT_PROBED), ...Object.keys(NO_PERSONAL_DATA)].filter(
    (k) => !routeKeys.includes(k),
  );
  expect(stale).toEqual([]);
});

describe('every probed route with personal data leaves an access-log entry', () => {
  let world: World;
  beforeAll(async () => {
    const platform = await startPlatform({ logLevel: 'warn' });
    const { consentId } = await agreeAndConsent(platform, seed.bsn);
    const submitted = await submitReferral(platform, consentId, seed);
    const referralId = submitted.body.referralId as string;
    // A feedback message, so the feedback read carries personal data.
    const accepted = await call(
      callerFor('coordinator', 'own'),
      'POST',
      `${platform.urls.referral}/referrals/${referralId}/accept`,
      { feedbackMessage: 'Welkom bij de completeness-test.' },
      { 'if-match': submitted.etag! },
    );
    expect(accepted.status).toBe(200);
    const consent = await call(callerFor('gp-system', 'own'), 'GET', `${platform.urls.consent}/consents/${consentId}`);
    world = { platform, referralId, consentId, subjectId: consent.body.subjectId as string };
  });
  afterAll(async () => {
    await world?.platform.stop();
  });

  it.each(Object.keys(PROBES).map((k) => [k]))('%s', async (key) => {
    const sub = `completeness-${randomUUID().slice(0, 8)}`;
    const r = await PROBES[key]!(world, sub);
    expect({ key, status: r.status }).toEqual({ key, status: expect.any(Number) });
    expect(r.status).toBeLessThan(300);
    const { method } = parsePolicyKey(key.slice(key.indexOf(' ') + 1));
    const entries = await eventually(
      async () => {
        const log = await call(
          callerFor('privacy-officer', 'own'),
          'GET',
          `${world.platform.urls.consent}/access-log?userId=${sub}`,
        );
        return (log.body.items as unknown[] | undefined)?.length ? (log.body.items as { action: string }[]) : undefined;
      },
      20_000,
      `an access-log entry by ${key}`,
    );
    expect(entries.length).toBeGreaterThan(0);
    if (method === 'GET') expect(entries.map((e) => e.action)).toContain('R');
  });
});
