// Two of everything: practice and welfare organisation A in municipality GM0001 (own), B in GM0002
// (other), a caller per role on each side, and the steps that give A real data to probe.
import { ROLES, rolesOf, type DevTokenClaims, type EndpointPolicy, type Role } from '@wor/service-kit';
import { eventually } from '@wor/test-support';
import { randomUUID } from 'node:crypto';
import { call, type Platform } from './platform';

export type Side = 'own' | 'other';
export const SIDES: readonly Side[] = ['own', 'other'];

export const ORG = {
  own: { practice: 'huisarts-sec-a', welfare: 'welzijn-sec-a', municipality: 'GM0001' },
  other: { practice: 'huisarts-sec-b', welfare: 'welzijn-sec-b', municipality: 'GM0002' },
} as const;

const PRACTICE_ROLES: readonly Role[] = ['gp-system', 'referrer'];
const WELFARE_ROLES: readonly Role[] = ['coach', 'coordinator'];

/** A caller in `role` of the given side: its organisation (practice or welfare) and municipality claims. */
export const callerFor = (role: Role, side: Side): DevTokenClaims => {
  const o = ORG[side];
  const org = PRACTICE_ROLES.includes(role) ? o.practice : WELFARE_ROLES.includes(role) ? o.welfare : undefined;
  return {
    sub: `${role}-${side}`,
    roles: [role],
    ...(org ? { org } : {}),
    municipality: o.municipality,
    // A municipality's own key-user account may keep its map without being appointed first.
    ...(role === 'key-user' ? { municipalAccount: true } : {}),
  };
};

/** The caller most likely to get past an endpoint's policy into its handler's validation. */
export const callerOf = (policy: EndpointPolicy): DevTokenClaims => {
  const roles = rolesOf(policy);
  const pick =
    (['privacy-officer', 'admin', 'key-user', 'coordinator', 'gp-system'] as Role[]).find((r) => roles.includes(r)) ??
    roles[0]!;
  return callerFor(pick, 'own');
};

export { ROLES };

export const scores = (v: number) =>
  Object.fromEntries(
    [
      'lichaamsfuncties',
      'mentaal-welbevinden',
      'zingeving',
      'kwaliteit-van-leven',
      'meedoen',
      'dagelijks-functioneren',
    ].map((d) => [d, v]),
  );

const officer: DevTokenClaims = { sub: 'privacy-officer-sec', roles: ['privacy-officer'] };

/** An active agreement between A's practice and welfare organisation, and the patient's consent. */
export const agreeAndConsent = async (
  p: Platform,
  bsn: string,
): Promise<{ consentId: string; agreementId: string }> => {
  const { practice, welfare } = ORG.own;
  const agreementId = randomUUID();
  const drafted = await call(officer, 'POST', `${p.urls.consent}/agreements`, {
    agreementId,
    kind: 'samenwerkingsovereenkomst',
    title: 'Welzijn op Recept security tests',
    parties: [
      { organisationId: practice, role: 'joint-controller' },
      { organisationId: welfare, role: 'joint-controller' },
    ],
    legalBasis: { article6: 'a-consent', article9Exception: 'a-explicit-consent' },
    purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
    dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
    recipientOrganisationIds: [practice, welfare],
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: null,
    retentionMonths: 24,
    processingRegisterReference: 'VWA-SEC',
  });
  expect(drafted.status).toBe(201);
  expect((await call(officer, 'POST', `${p.urls.consent}/agreements/${agreementId}/activate`)).status).toBe(200);
  const consent = await call(callerFor('gp-system', 'own'), 'POST', `${p.urls.consent}/consents`, {
    patient: { bsn },
    recipientOrganisationId: welfare,
    purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
    dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
    evidence: { method: 'signed', documentReference: 'doc-sec' },
  });
  expect(consent.status).toBe(201);
  return { consentId: consent.body.consentId as string, agreementId };
};

export type Seed = Readonly<{
  bsn: string;
  given: string;
  family: string;
  phone: string;
  email: string;
  urgencyNote: string;
}>;

export const referralBody = (consentId: string, seed: Seed) => ({
  consentId,
  patient: {
    bsn: seed.bsn,
    name: { given: seed.given, family: seed.family },
    birthDate: '1951-04-05',
    sex: 'female',
    phone: seed.phone,
    email: seed.email,
  },
  municipality: ORG.own.municipality,
  practiceId: ORG.own.practice,
  recipientOrganisationId: ORG.own.welfare,
  referrerRole: 'huisarts',
  reasons: ['eenzaamheid'],
  urgencyNote: seed.urgencyNote,
});

/** Submits once the referral service has learned the consent and agreement (by events). */
export const submitReferral = (p: Platform, consentId: string, seed: Seed) =>
  eventually(
    async () => {
      const r = await call(
        callerFor('gp-system', 'own'),
        'POST',
        `${p.urls.referral}/referrals`,
        referralBody(consentId, seed),
      );
      return r.status === 201 ? r : undefined;
    },
    30_000,
    'consent and agreement to reach the referral service',
  );
