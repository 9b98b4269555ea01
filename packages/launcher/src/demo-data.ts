// The minimal demo (WOR_DEMO=minimal; the browser tests use it): municipality Beterstad with wijk
// 'de blijebuurt', practice "Huisarts Beterschap" (2,000 registered patients), welfare organisation
// Welzijn Beterstad, a handful of social-map services, and one referral with consent. Loaded through the
// services' own APIs, so it is exactly what a GP system or key-user could send. Loaded once. The rich
// demo (demo/) is a year of the programme.
import { createDevIssuer, type Role } from '@wor/service-kit';
import type { ServiceUrls } from './services';

export const DEMO = {
  municipality: { code: 'GM9999', name: 'Beterstad', district: 'de blijebuurt' },
  practice: { id: 'huisarts-beterschap', name: 'Huisarts Beterschap', registeredPatients: 2000 },
  welfareOrganisation: {
    id: 'welzijn-beterstad',
    name: 'Welzijn Beterstad',
    socialMapId: '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11',
    coaches: ['coach-anna', 'coach-bram'],
  },
  keyUser: 'keyuser-beterstad',
  privacyOfficer: 'privacy-officer-beterstad',
  /** The samenwerkingsovereenkomst between the practice and the welfare organisation: sharing needs it. */
  agreementId: 'a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a',
  gpSystem: 'gp-system-beterschap',
  services: [
    {
      id: 'c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01',
      name: 'Wandelgroep De Blijebuurt',
      description: 'Elke dinsdagochtend samen wandelen door de wijk, in je eigen tempo.',
      dimensions: ['lichaamsfuncties', 'meedoen'],
      free: true,
    },
    {
      id: 'c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02',
      name: 'Koffieochtend Buurthuis De Zon',
      description: 'Ontmoeten, een praatje en een kop koffie, iedere donderdag.',
      dimensions: ['meedoen', 'kwaliteit-van-leven'],
      free: true,
    },
    {
      id: 'c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03',
      name: 'Moestuin De Blijebuurt',
      description: 'Samen tuinieren en oogsten in de buurtmoestuin.',
      dimensions: ['zingeving', 'dagelijks-functioneren'],
      free: true,
    },
    {
      id: 'c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04',
      name: 'Rouwcafé Beterstad',
      description: 'Maandelijkse bijeenkomst voor wie een dierbare verloor.',
      dimensions: ['mentaal-welbevinden', 'zingeving'],
      free: true,
    },
    {
      id: 'c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05',
      name: 'Spreekuur Geldzorgen',
      description: 'Vrijwilligers helpen met post, schulden en regelingen.',
      dimensions: ['dagelijks-functioneren'],
      free: true,
    },
    {
      id: 'c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06',
      name: 'Creatief Atelier',
      description: 'Schilderen en boetseren in een kleine groep; kleine eigen bijdrage.',
      dimensions: ['mentaal-welbevinden', 'kwaliteit-van-leven'],
      free: false,
    },
  ],
  // Fictional patient; the BSN is a test number and never leaves the services that receive it.
  patient: {
    bsn: '999990019',
    name: { given: 'Jet', family: 'Voorbeeld' },
    birthDate: '1956-04-12',
    sex: 'female',
    phone: '0612345678',
  },
} as const;

type Caller = { sub: string; roles: Role[]; org?: string; municipality?: string; municipalAccount?: boolean };

const call = async (issuer: ReturnType<typeof createDevIssuer>, caller: Caller, url: string, body?: unknown) => {
  const token = await issuer.sign(caller, '10m');
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Loads the demo unless it is there already (its last social-map service, loaded last, exists). */
export const loadDemoData = async (urls: ServiceUrls, log: (line: string) => void): Promise<void> => {
  const issuer = createDevIssuer();
  const keyUser: Caller = {
    sub: DEMO.keyUser,
    roles: ['key-user'],
    municipality: DEMO.municipality.code,
    municipalAccount: true,
  };
  const existing = await call(issuer, keyUser, `${urls['social-map']}/services?municipality=${DEMO.municipality.code}`);
  const items = (existing.body.contents ?? []) as { id: string }[];
  if (items.some((s) => s.id === DEMO.services[DEMO.services.length - 1]?.id)) return;
  log('Loading demo data ...');

  const officer: Caller = { sub: DEMO.privacyOfficer, roles: ['privacy-officer'] };
  const agreement = await call(issuer, officer, `${urls.consent}/agreements`, {
    agreementId: DEMO.agreementId,
    kind: 'samenwerkingsovereenkomst',
    title: 'Welzijn op Recept Beterstad',
    parties: [
      { organisationId: DEMO.practice.id, role: 'joint-controller' },
      { organisationId: DEMO.welfareOrganisation.id, role: 'joint-controller' },
    ],
    legalBasis: { article6: 'a-consent', article9Exception: 'a-explicit-consent' },
    purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
    dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
    recipientOrganisationIds: [DEMO.practice.id, DEMO.welfareOrganisation.id],
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: null,
    retentionMonths: 24,
    processingRegisterReference: 'VWA-BETERSTAD-WOR',
  });
  if (agreement.status !== 201 && agreement.status !== 409)
    throw new Error(`demo agreement: HTTP ${agreement.status} ${JSON.stringify(agreement.body)}`);
  const activated = await call(issuer, officer, `${urls.consent}/agreements/${DEMO.agreementId}/activate`, {});
  if (activated.status !== 200 && activated.status !== 409)
    throw new Error(`demo agreement: HTTP ${activated.status} ${JSON.stringify(activated.body)}`);

  const gp: Caller = { sub: DEMO.gpSystem, roles: ['gp-system'], org: DEMO.practice.id };
  const consent = await call(issuer, gp, `${urls.consent}/consents`, {
    patient: { bsn: DEMO.patient.bsn },
    recipientOrganisationId: DEMO.welfareOrganisation.id,
    purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
    dataCategories: ['contact-details', 'referral-reason'],
    evidence: { method: 'verbal' },
  });
  if (consent.status !== 201) throw new Error(`demo consent: HTTP ${consent.status} ${JSON.stringify(consent.body)}`);

  // The consent and agreement reach the referral service as events; retry until its view has them.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const referral = await call(issuer, gp, `${urls.referral}/referrals`, {
      consentId: consent.body.consentId,
      patient: DEMO.patient,
      municipality: DEMO.municipality.code,
      practiceId: DEMO.practice.id,
      recipientOrganisationId: DEMO.welfareOrganisation.id,
      referrerRole: 'huisarts',
      reasons: ['eenzaamheid'],
    });
    if (referral.status === 201) break;
    if (referral.status !== 403 || Date.now() > deadline)
      throw new Error(`demo referral: HTTP ${referral.status} ${JSON.stringify(referral.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const organization = await call(issuer, keyUser, `${urls['social-map']}/organizations`, {
    id: DEMO.welfareOrganisation.socialMapId,
    name: DEMO.welfareOrganisation.name,
    description: 'Welzijnsorganisatie van Beterstad.',
  });
  if (organization.status !== 201 && organization.status !== 409)
    throw new Error(`demo organization: HTTP ${organization.status} ${JSON.stringify(organization.body)}`);
  for (const service of DEMO.services) {
    const published = await call(issuer, keyUser, `${urls['social-map']}/services`, {
      id: service.id,
      organization_id: DEMO.welfareOrganisation.socialMapId,
      name: service.name,
      description: service.description,
      wijken: [DEMO.municipality.district],
      dimensions: service.dimensions,
      cost_options: [service.free ? { option: 'gratis', amount: 0 } : { option: 'eigen bijdrage', amount: 2.5 }],
    });
    if (published.status !== 201 && published.status !== 409)
      throw new Error(`demo service: HTTP ${published.status} ${JSON.stringify(published.body)}`);
  }
  log('Demo data loaded.');
};
