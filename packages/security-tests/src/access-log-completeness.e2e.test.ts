// Access-log completeness (issue 16 item 4), generated from the services' policy tables: every route of
// every service is classified here, so a new route fails the first test until someone says whether it
// touches personal data. Each route that returns or accepts personal data has a probe: a real call by a
// caller of its own (a unique `sub`), after which the consent service's access log must hold an entry by
// that caller, with the action and resource the route stands for (ENTRY). No route with personal data
// goes unprobed. The other way round, each GET said to hold none is called and must answer none of the
// seeded person's data; and every package.json script (the CLIs) is classified too.
import { fhirSettingsFrom, parsePolicyKey, rolesOf } from '@wor/service-kit';
import { eventually } from '@wor/test-support';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { call, type Platform, SERVICES, type ServiceName, startPlatform } from './platform';
import {
  firstEvent,
  intakeBody,
  mapZorgDomeinToA,
  referralAt,
  referralDocument,
  serviceRequestOfA,
  takeStep,
  transactionOfA,
} from './walk';
import { agreeAndConsent, callerFor, ORG, referralBody, scores, type Seed } from './world';

jest.setTimeout(180_000);

const seed: Seed = {
  bsn: '100000174',
  given: 'Volledig',
  family: 'Logboek',
  phone: '0611100174',
  email: 'volledig@example.org',
  urgencyNote: 'Bel na tienen (completeness-notitie).',
};

type World = {
  platform: Platform;
  referralId: string;
  consentId: string;
  subjectId: string;
  agreementId: string;
  documentId: string;
  procedureId: string;
  subscriptionId: string;
};
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

const FEEDBACK_MESSAGE = 'Welkom bij de completeness-test.';
const GOAL_TEXT = 'Elke dinsdag naar de completeness-koffieochtend.';
/** The answer carries the world's feedback message: the route is rightly a personal-data route. */
const withMessage = async (answer: ReturnType<typeof call>) => {
  const r = await answer;
  expect(r.text).toContain(FEEDBACK_MESSAGE);
  return r;
};

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
  // The terugkoppeling as FHIR Communications: their payload is the coach's message.
  'referral GET /fhir/Task/:id/$feedback': (w, sub) =>
    withMessage(call(as('gp-system', sub), 'GET', `${w.platform.urls.referral}/fhir/Task/${w.referralId}/$feedback`)),
  'referral GET /fhir/Communication': (w, sub) =>
    withMessage(
      call(as('gp-system', sub), 'GET', `${w.platform.urls.referral}/fhir/Communication?part-of=Task/${w.referralId}`),
    ),
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
  // The CSV export: the same search, the same entry.
  'consent GET /access-log/denied': async (w, sub) => {
    const r = await call(as('privacy-officer', sub), 'GET', `${w.platform.urls.consent}/access-log/denied?format=csv`);
    expect(r.contentType).toMatch(/^text\/csv/);
    return r;
  },
  'consent POST /access-log/overview': (w, sub) =>
    call(as('privacy-officer', sub), 'POST', `${w.platform.urls.consent}/access-log/overview`, {
      subjectId: w.subjectId,
    }),
  'consent POST /subject-rights/access-report': (w, sub) =>
    call(as('privacy-officer', sub), 'POST', `${w.platform.urls.consent}/subject-rights/access-report`, {
      patient: { bsn: seed.bsn },
    }),
  // A person of their own, with a consent (and so a subject key), erased by the probing officer.
  'consent POST /subject-rights/erasure': async (w, sub) => {
    const seeded = await call(as('gp-system', `${sub}-setup`), 'POST', `${w.platform.urls.consent}/consents`, {
      ...consentBody('100000216'),
    });
    expect(seeded.status).toBe(201);
    return call(as('privacy-officer', sub), 'POST', `${w.platform.urls.consent}/subject-rights/erasure`, {
      patient: { bsn: '100000216' },
    });
  },
  // Open, read the first decision, close: opening is the access (the stream says whether the person consented).
  'consent GET /access-decisions/stream': async (w, sub) => {
    const query = new URLSearchParams({
      subjectId: w.subjectId,
      organisationId: ORG.own.welfare,
      partnerOrganisationId: ORG.own.practice,
      purpose: 'wor-referral',
      dataCategory: 'contact-details',
      intervalMs: '100',
    });
    const r = await firstEvent(as('gp-system', sub), `${w.platform.urls.consent}/access-decisions/stream?${query}`);
    expect(r.frame).toMatch(/^event: decision\n/);
    return r;
  },
  'referral POST /fhir/ServiceRequest': (w, sub) =>
    call(
      as('gp-system', sub),
      'POST',
      `${w.platform.urls.referral}/fhir/ServiceRequest`,
      serviceRequestOfA(seed.bsn, w.consentId),
      { 'content-type': 'application/fhir+json' },
    ),
  // A search by BSN (patient:identifier) processes the BSN: pseudonymised before the lookup, and logged.
  ...Object.fromEntries(
    (['ServiceRequest', 'Procedure'] as const).map((type) => [
      `referral GET /fhir/${type}`,
      (w: World, sub: string) =>
        call(
          as('gp-system', sub),
          'GET',
          `${w.platform.urls.referral}/fhir/${type}?patient:identifier=${encodeURIComponent(`http://fhir.nl/fhir/NamingSystem/bsn|${seed.bsn}`)}`,
        ),
    ]),
  ),
  'referral POST /fhir': (w, sub) =>
    call(
      as('gp-system', sub),
      'POST',
      `${w.platform.urls.referral}/fhir`,
      transactionOfA(seed.bsn, w.consentId, `urn:uuid:${randomUUID()}`),
      { 'content-type': 'application/fhir+json' },
    ),
  // The channel's credential (no organisation), a document with the patient for A's mapped cluster.
  'referral POST /zorgdomein/Bundle': async (w, sub) => {
    await mapZorgDomeinToA(w.platform);
    return call(
      { sub, roles: ['referral-channel'] },
      'POST',
      `${w.platform.urls.referral}/zorgdomein/Bundle`,
      referralDocument(randomUUID(), seed.bsn),
      { 'content-type': 'application/fhir+json' },
    );
  },
  // The steps that carry free text: each on a referral of its own, walked to where the step is allowed.
  'referral POST /referrals/:referralId/accept': async (w, sub) =>
    takeStep(
      w.platform,
      as('coordinator', sub),
      await referralAt(w.platform, w.consentId, seed, 'requested'),
      'accept',
      {
        feedbackMessage: 'Welkom, we bellen u deze week.',
      },
    ),
  'referral POST /referrals/:referralId/reject': async (w, sub) =>
    takeStep(
      w.platform,
      as('coordinator', sub),
      await referralAt(w.platform, w.consentId, seed, 'requested'),
      'reject',
      {
        reason: 'no-capacity',
        feedbackMessage: 'Helaas geen plek; probeer het buurthuis.',
      },
    ),
  'referral POST /referrals/:referralId/intake': async (w, sub) =>
    takeStep(
      w.platform,
      as('coach', sub),
      await referralAt(w.platform, w.consentId, seed, 'in-progress', sub),
      'intake',
      intakeBody,
    ),
  'referral POST /referrals/:referralId/complete': async (w, sub) =>
    takeStep(
      w.platform,
      as('coach', sub),
      await referralAt(w.platform, w.consentId, seed, 'in-progress', sub),
      'complete',
      {
        outcome: 'goals-reached',
        positiveHealth: scores(8),
        gasScores: [],
        coachHours: 6,
        feedbackMessage: 'Wandelt nu wekelijks mee.',
      },
    ),
  'referral POST /referrals/:referralId/fail': async (w, sub) =>
    takeStep(w.platform, as('coach', sub), await referralAt(w.platform, w.consentId, seed, 'accepted'), 'fail', {
      reason: 'declined',
      coachHours: 1,
      feedbackMessage: 'Wil op dit moment geen begeleiding.',
    }),
  'referral POST /referrals/:referralId/cancel': async (w, sub) =>
    takeStep(w.platform, as('gp-system', sub), await referralAt(w.platform, w.consentId, seed, 'requested'), 'cancel', {
      feedbackMessage: 'Patiënt is verhuisd.',
    }),
};

type Action = 'C' | 'R' | 'U' | 'D' | 'E';
/**
 * The entry each probe must leave: its NEN 7513 action and the resource it names, so an entry of another
 * kind by the same caller (a ZorgDomein document that also becomes a referral) does not stand in for it.
 * A probe without a row here needs any entry, an R for a GET.
 */
const ENTRY: Record<string, `${Action} ${string}`> = {
  'referral POST /referrals': 'C referral',
  'referral GET /referrals/:referralId/personal-details': 'R referral',
  'referral POST /referrals/:referralId/personal-details/declared-read': 'R referral',
  'referral GET /referrals/:referralId/feedback': 'R feedback',
  'referral GET /fhir/Task/:id/$feedback': 'R feedback',
  'referral GET /fhir/Communication': 'R feedback',
  'referral GET /subjects/:subjectId/report': 'R subject-access-report',
  'referral POST /fhir/ServiceRequest': 'C referral',
  'referral POST /fhir': 'C referral',
  'referral GET /fhir/ServiceRequest': 'R fhir-search-ServiceRequest',
  'referral GET /fhir/Procedure': 'R fhir-search-Procedure',
  'referral POST /zorgdomein/Bundle': 'C zorgdomein-document',
  ...Object.fromEntries(
    ['accept', 'reject', 'intake', 'complete', 'fail', 'cancel'].map((step) => [
      `referral POST /referrals/:referralId/${step}`,
      'C referral' as const,
    ]),
  ),
  'consent POST /consents': 'C consent',
  'consent GET /consents/:consentId': 'R consent',
  'consent POST /consents/:consentId/withdraw': 'U consent',
  'consent POST /fhir/Consent': 'C Consent',
  'consent GET /fhir/Consent/:id': 'R Consent',
  'consent GET /fhir/Consent': 'R Consent',
  // The probe's PUT changes nothing: it answers the evidence, so it is a read.
  'consent PUT /fhir/Consent/:id': 'R Consent',
  'consent POST /access-decisions': 'E access-decision',
  'consent GET /access-decisions/stream': 'E access-decision-stream',
  'consent GET /access-log': 'R access-log',
  'consent POST /access-log/search': 'R access-log',
  'consent GET /access-log/denied': 'R access-log',
  'consent POST /access-log/overview': 'R access-log',
  'consent POST /subject-rights/access-report': 'R subject-access-report',
  'consent POST /subject-rights/erasure': 'D subject-key',
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
  'referral POST /fhir/Task':
    'codes and references; starting the ordered referral logs its access decision (fhir-creates.int)',
  'referral GET /fhir/ServiceRequest/:id': 'the pseudonymous subject, codes (never the contained Patient)',
  'referral GET /fhir/Task/:id': 'codes and references',
  'referral GET /fhir/Task':
    'codes and references; a BSN in patient:identifier is pseudonymised and logged (procedure.int)',
  'referral GET /fhir/ServiceRequest/:id/_history/:vid': 'the pseudonymous subject, codes (as the read)',
  'referral GET /fhir/ServiceRequest/:id/_history': 'the pseudonymous subject, codes (as the read)',
  'referral GET /fhir/Task/:id/_history/:vid': 'codes and references',
  'referral GET /fhir/Task/:id/_history': 'codes and references',
  'referral PUT /fhir/Task/:id': 'codes and references: the REST steps without messages (fhir-task-update.int)',
  'referral POST /fhir/Procedure': 'codes, references and dates; free text is refused (procedure.int)',
  'referral GET /fhir/Procedure/:id': 'codes and references',
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

/**
 * Every command-line program of the repository (a package.json script that is not a build, lint or test
 * tool), and why it writes no access-log entry: none of them reads or changes a person's data in clear.
 */
const CLIS: Record<string, string> = {
  'reporting extract':
    'the GALA/RIVM extract, as GET /extracts/gala: aggregates per municipality and period, small counts suppressed',
  'reporting rebuild': "replays reporting's own log (facts per referral, subject id removed on receipt); prints counts",
  'consent verify-access-log':
    "hashes the chain's entries inside the process; prints only positions, an entry id and intact or not",
  'consent rotate-kek': 'rewraps each subject key under a new KEK; decrypts no record; prints how many and the KEK id',
  'root start': 'runs the services: their routes are classified above (the demo data goes through them, logged)',
  'root token': 'prints a development token',
  'root redrive':
    'republishes dead letters as they were (personal data stays sealed); prints ids, positions, reasons, never a value',
  'root bench:event-store': 'synthetic events in a schema of its own',
  'root bench:load': 'one synthetic patient through POST /referrals (logged like any submission)',
  'root bench:latency': 'one synthetic patient through POST /referrals (logged like any submission)',
};

const ROOT = path.join(__dirname, '..', '..', '..');
const TOOLS = new Set(['build', 'typecheck', 'lint', 'test', 'format', 'format:check']);
const cliKeys = [
  '.',
  ...['services', 'packages'].flatMap((d) => readdirSync(path.join(ROOT, d)).map((n) => `${d}/${n}`)),
]
  .filter((dir) => existsSync(path.join(ROOT, dir, 'package.json')))
  .flatMap((dir) => {
    const scripts = Object.keys(JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')).scripts ?? {});
    return scripts.filter((s) => !TOOLS.has(s)).map((s) => `${dir === '.' ? 'root' : path.basename(dir)} ${s}`);
  });

it('classifies every CLI (a new package.json script fails here until it is classified)', () => {
  expect(cliKeys.filter((k) => !(k in CLIS))).toEqual([]);
  expect(Object.keys(CLIS).filter((k) => !cliKeys.includes(k))).toEqual([]);
});

const routeKeys = SERVICES.flatMap((s) => Object.keys(s.policies).map((key) => `${s.name} ${key}`));

it('classifies every route of every policy table (a new route fails here until it is classified)', () => {
  const classified = (k: string) =>
    [k in PROBES, k in NO_PERSONAL_DATA, k.split(' ')[0]! in SERVICES_WITHOUT_PERSONAL_DATA].filter(Boolean).length;
  expect(routeKeys.filter((k) => classified(k) !== 1)).toEqual([]);
  const stale = [...Object.keys(PROBES), ...Object.keys(NO_PERSONAL_DATA)].filter((k) => !routeKeys.includes(k));
  expect(stale).toEqual([]);
});

describe('every probed route with personal data leaves an access-log entry', () => {
  let world: World;
  beforeAll(async () => {
    const platform = await startPlatform({ logLevel: 'warn' });
    const { consentId, agreementId } = await agreeAndConsent(platform, seed.bsn);
    // A feedback message and a goal text, so the feedback read and the personal details carry them.
    const walked = await referralAt(platform, consentId, seed, 'requested');
    const accepted = await takeStep(platform, callerFor('coordinator', 'own'), walked, 'accept', {
      feedbackMessage: FEEDBACK_MESSAGE,
    });
    expect(accepted.status).toBe(200);
    const assigned = await takeStep(
      platform,
      callerFor('coordinator', 'own'),
      { ...walked, etag: accepted.etag! },
      'coach',
      { coachId: 'coach-own' },
    );
    const reached = await takeStep(
      platform,
      callerFor('coach', 'own'),
      { ...walked, etag: assigned.etag! },
      'contact-attempts',
      { reached: true },
    );
    const intake = await takeStep(platform, callerFor('coach', 'own'), { ...walked, etag: reached.etag! }, 'intake', {
      ...intakeBody,
      goals: [{ text: GOAL_TEXT, baseline: 0 }],
    });
    expect(intake.status).toBe(200);
    // A Procedure of the referral and a Subscription of the practice, so their reads have something to answer.
    const fhirJson = { 'content-type': 'application/fhir+json' };
    const sr = await call(
      callerFor('gp-system', 'own'),
      'GET',
      `${platform.urls.referral}/fhir/ServiceRequest/${walked.referralId}`,
    );
    const procedure = await call(
      callerFor('coordinator', 'own'),
      'POST',
      `${platform.urls.referral}/fhir/Procedure`,
      {
        resourceType: 'Procedure',
        status: 'completed',
        code: { coding: [{ system: 'http://snomed.info/sct', code: '410290000' }] },
        subject: sr.body.subject,
        basedOn: [{ reference: `ServiceRequest/${walked.referralId}` }],
        performedDateTime: new Date().toISOString(),
      },
      fhirJson,
    );
    expect(procedure.status).toBe(201);
    const subscription = await call(
      callerFor('gp-system', 'own'),
      'POST',
      `${platform.urls.referral}/fhir/Subscription`,
      {
        resourceType: 'Subscription',
        status: 'requested',
        reason: 'access-log completeness',
        criteria: `${fhirSettingsFrom({}).canonicalBase}/SubscriptionTopic/task-changes`,
        // Nothing listens there (TEST-NET-3, https on a public address as the endpoint policy wants): the
        // handshake fails and is retried, which this test does not need.
        channel: {
          type: 'rest-hook',
          endpoint: 'https://203.0.113.9/hook',
          payload: 'application/fhir+json',
          _payload: {
            extension: [
              {
                url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content',
                valueCode: 'id-only',
              },
            ],
          },
        },
      },
      fhirJson,
    );
    expect(subscription.status).toBe(201);
    const month = new Date().toISOString().slice(0, 7);
    const planned = await call(
      callerFor('coordinator', 'own'),
      'PUT',
      `${platform.urls.referral}/capacity/plans/${month}`,
      {
        coachHours: 120,
      },
    );
    expect(planned.status).toBe(200);
    await mapZorgDomeinToA(platform);
    const documentId = randomUUID();
    const received = await call(
      { sub: 'zorgdomein-channel-setup', roles: ['referral-channel'] },
      'POST',
      `${platform.urls.referral}/zorgdomein/Bundle`,
      referralDocument(documentId, seed.bsn),
      { 'content-type': 'application/fhir+json' },
    );
    expect(received.status).toBe(201);
    const consent = await call(callerFor('gp-system', 'own'), 'GET', `${platform.urls.consent}/consents/${consentId}`);
    world = {
      platform,
      referralId: walked.referralId,
      consentId,
      subjectId: consent.body.subjectId as string,
      agreementId,
      documentId,
      procedureId: procedure.body.id as string,
      subscriptionId: subscription.body.id as string,
    };
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
    const [action, resource] = (ENTRY[key] ?? (method === 'GET' ? 'R' : '')).split(' ');
    type Entry = { action: string; resource: { type: string } };
    const fits = (e: Entry) => (!action || e.action === action) && (!resource || e.resource.type === resource);
    // Until the entry itself is there: the referral service's entries reach the consent service by events.
    const entries = await eventually(
      async () => {
        const log = await call(
          callerFor('privacy-officer', 'own'),
          'GET',
          `${world.platform.urls.consent}/access-log?userId=${sub}`,
        );
        const items = (log.body.items as Entry[] | undefined) ?? [];
        return items.some(fits) ? items : undefined;
      },
      20_000,
      `an access-log entry ${ENTRY[key] ?? ''} by ${key}`,
    );
    expect(entries.filter(fits).length).toBeGreaterThan(0);
  });

  // The other side of the classification: a route said to hold no personal data must not answer any.
  // A 200 is required, so the answer is about the world's person: a new GET names its ids in paramsOf/queryOf.
  const reads = Object.keys(NO_PERSONAL_DATA).filter((k) => k.split(' ')[1] === 'GET');
  it.each(reads.map((k) => [k]))('%s answers none of the personal data', async (key) => {
    const [name, , pattern] = key.split(' ') as [ServiceName, string, string];
    const policy = SERVICES.find((d) => d.name === name)!.policies[key.slice(name.length + 1)]!;
    const role = CALLER_ROLES.find((r) => rolesOf(policy).includes(r))!;
    const path = pattern.replace(/:(\w+)/g, (_, p: string) => paramsOf(world, key)[p] ?? `unknown-${p}`);
    const r = await call(
      callerFor(role, 'own'),
      'GET',
      `${world.platform.urls[name]}${path}${queryOf(world)[key] ?? ''}`,
    );
    expect({ key, status: r.status }).toEqual({ key, status: 200 });
    expect(PERSONAL.filter((value) => r.text.includes(value))).toEqual([]);
  });
});

/** The world's values no route of codes and ids may answer. */
const PERSONAL = [
  seed.bsn,
  seed.given,
  seed.family,
  seed.phone,
  seed.email,
  seed.urgencyNote,
  FEEDBACK_MESSAGE,
  GOAL_TEXT,
];
/** Who reads a route of codes: the first of these its policy allows (A's own). */
const CALLER_ROLES = ['coordinator', 'gp-system', 'coach', 'privacy-officer', 'referral-channel'] as const;
/** Path parameters: ids of the world's referral, organisation A, its document and agreement. */
const paramsOf = (w: World, key: string): Record<string, string> => ({
  referralId: w.referralId,
  // A HealthcareService is an organisation's capacity; a Procedure and a Subscription have their own ids;
  // every other FHIR id here is the referral's.
  id: key.includes('HealthcareService')
    ? ORG.own.welfare
    : key.includes('Procedure')
      ? w.procedureId
      : key.includes('Subscription')
        ? w.subscriptionId
        : w.referralId,
  vid: '0',
  organisationId: ORG.own.welfare,
  documentId: w.documentId,
  agreementId: w.agreementId,
});
const queryOf = (w: World): Record<string, string> => ({
  'referral GET /fhir/Task': `?_id=${w.referralId}&_include=Task:focus`,
  'referral GET /fhir/HealthcareService': `?organization=${ORG.own.welfare}`,
});
