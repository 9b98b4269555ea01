import { decideAccess, type ConsentRecord } from './access-decision';

const consent: ConsentRecord = {
  consentId: '8c2b3a6e-2f7d-4a43-9d55-2d0f4d2b9b11',
  subjectId: `sub_${'1'.repeat(32)}`,
  recipientOrganisationId: 'welzijn-beterstad',
  purposes: ['wor-referral'],
  validFrom: new Date('2026-11-01T00:00:00Z'),
  validUntil: new Date('2027-11-01T00:00:00Z'),
  withdrawnAt: null,
};
const question = {
  subjectId: consent.subjectId,
  recipientOrganisationId: 'welzijn-beterstad',
  purpose: 'wor-referral' as const,
  at: new Date('2026-11-23T10:00:00Z'),
};

describe('decideAccess', () => {
  it('permits under an active consent for this subject, recipient and purpose', () => {
    expect(decideAccess(consent, question)).toEqual({ permitted: true });
  });

  it.each([
    ['unknown consent', undefined, question, /unknown/],
    ['another patient', consent, { ...question, subjectId: `sub_${'2'.repeat(32)}` }, /another patient/],
    ['another recipient', consent, { ...question, recipientOrganisationId: 'welzijn-elders' }, /recipient welzijn-elders/],
    ['another purpose', consent, { ...question, purpose: 'wor-feedback' as const }, /purpose wor-feedback/],
    ['withdrawn', { ...consent, withdrawnAt: new Date('2026-11-20T00:00:00Z') }, question, /withdrawn/],
    ['not yet valid', consent, { ...question, at: new Date('2026-10-01T00:00:00Z') }, /not yet valid/],
    ['expired', consent, { ...question, at: new Date('2027-12-01T00:00:00Z') }, /expired/],
  ])('denies for %s, with the reason', (_case, record, q, reason) => {
    const decision = decideAccess(record, q);
    expect(decision.permitted).toBe(false);
    expect(!decision.permitted && decision.reason).toMatch(reason);
  });

  it('a withdrawal takes effect from its moment, not before', () => {
    const later = { ...consent, withdrawnAt: new Date('2026-12-01T00:00:00Z') };
    expect(decideAccess(later, question)).toEqual({ permitted: true });
  });
});
