import {
  mayAskAboutConsent,
  resolveAgreement,
  resolveConsent,
  type AgreementTerms,
  type ConsentChoice,
} from './consent-rules';

const subjectId = `sub_${'1'.repeat(32)}`;
const at = new Date('2026-11-23T10:00:00Z');
const choice = (over: Partial<ConsentChoice>): ConsentChoice => ({
  consentId: 'c-broad',
  subjectId,
  provision: 'permit',
  recipientOrganisationIds: ['welzijn-beterstad'],
  purposes: ['wor-referral'],
  dataCategories: ['contact-details'],
  validFrom: new Date('2026-11-01T00:00:00Z'),
  validUntil: null,
  withdrawnAt: null,
  ...over,
});
const q = {
  subjectId,
  organisationId: 'welzijn-beterstad',
  purpose: 'wor-referral',
  dataCategory: 'contact-details',
  at,
};

describe('resolveConsent', () => {
  it('permits under one applicable consent, naming it', () => {
    expect(resolveConsent([choice({})], q)).toMatchObject({ permitted: true, consentId: 'c-broad' });
  });

  it('denies without any choice', () => {
    expect(resolveConsent([], q)).toMatchObject({
      permitted: false,
      consentId: null,
      reason: expect.stringMatching(/no consent in effect/),
    });
  });

  it.each([
    ['another recipient', { ...q, organisationId: 'welzijn-elders' }, /does not cover recipient welzijn-elders/],
    ['another purpose', { ...q, purpose: 'wor-feedback' }, /does not cover purpose wor-feedback/],
    ['another data category', { ...q, dataCategory: 'health-summary' }, /does not cover data category health-summary/],
    ['another patient', { ...q, subjectId: `sub_${'2'.repeat(32)}` }, /another patient/],
    ['before it is valid', { ...q, at: new Date('2026-10-01T00:00:00Z') }, /not yet valid/],
  ])('gives the referred consent’s own reason for %s', (_case, question, reason) => {
    expect(resolveConsent([choice({})], question, 'c-broad')).toMatchObject({
      permitted: false,
      reason: expect.stringMatching(reason),
    });
  });

  it('a withdrawal takes effect from its moment, not before', () => {
    expect(resolveConsent([choice({ withdrawnAt: new Date('2026-11-20T00:00:00Z') })], q, 'c-broad').reason).toMatch(
      /withdrawn/,
    );
    expect(resolveConsent([choice({ withdrawnAt: new Date('2026-12-01T00:00:00Z') })], q).permitted).toBe(true);
  });

  it('an expired consent no longer applies', () => {
    expect(resolveConsent([choice({ validUntil: new Date('2026-11-23T10:00:00Z') })], q, 'c-broad').reason).toMatch(
      /expired/,
    );
  });

  it('leaves open what a choice does not name', () => {
    const any = choice({ recipientOrganisationIds: null, purposes: null, dataCategories: null });
    expect(resolveConsent([any], { ...q, organisationId: 'welzijn-elders', dataCategory: 'outcome' }).permitted).toBe(
      true,
    );
  });

  describe('resolution: the more specific choice wins; an objection beats a consent of equal specificity', () => {
    const broadConsent = choice({ consentId: 'c-broad', dataCategories: null }); // 2 named
    const narrowObjection = choice({ consentId: 'o-narrow', provision: 'deny' }); // 3 named
    const broadObjection = choice({
      consentId: 'o-broad',
      provision: 'deny',
      recipientOrganisationIds: null,
      dataCategories: null,
    }); // 1 named
    const narrowConsent = choice({ consentId: 'c-narrow' }); // 3 named

    it('a more specific objection beats a broader consent', () => {
      expect(resolveConsent([broadConsent, narrowObjection], q)).toMatchObject({
        permitted: false,
        consentId: 'o-narrow',
        reason: expect.stringMatching(/objected/),
      });
    });

    it('the broader consent still permits what the specific objection does not name', () => {
      expect(resolveConsent([broadConsent, narrowObjection], { ...q, dataCategory: 'referral-reason' })).toMatchObject({
        permitted: true,
        consentId: 'c-broad',
      });
    });

    it('a more specific consent beats a broader objection', () => {
      expect(resolveConsent([broadObjection, narrowConsent], q)).toMatchObject({
        permitted: true,
        consentId: 'c-narrow',
      });
    });

    it('an objection beats a consent of equal specificity, whatever the order', () => {
      const objection = choice({ consentId: 'o-equal', provision: 'deny' });
      expect(resolveConsent([narrowConsent, objection], q)).toMatchObject({ permitted: false, consentId: 'o-equal' });
      expect(resolveConsent([objection, narrowConsent], q)).toMatchObject({ permitted: false, consentId: 'o-equal' });
    });

    it('a withdrawn objection no longer counts', () => {
      const withdrawn = choice({
        consentId: 'o-gone',
        provision: 'deny',
        withdrawnAt: new Date('2026-11-22T00:00:00Z'),
      });
      expect(resolveConsent([broadConsent, withdrawn], q)).toMatchObject({ permitted: true, consentId: 'c-broad' });
    });

    it('reports the referred consent when several of equal specificity permit', () => {
      const other = choice({ consentId: 'c-other' });
      expect(resolveConsent([other, narrowConsent], q, 'c-narrow').consentId).toBe('c-narrow');
    });
  });
});

describe('resolveAgreement', () => {
  const agreement: AgreementTerms = {
    agreementId: 'a-1',
    partyIds: ['huisarts-beterschap', 'welzijn-beterstad'],
    purposes: ['wor-referral'],
    dataCategories: ['contact-details'],
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validUntil: new Date('2027-01-01T00:00:00Z'),
    activatedAt: new Date('2026-01-01T00:00:00Z'),
    endedAt: null,
  };
  const aq = {
    organisationId: 'welzijn-beterstad',
    partnerOrganisationId: 'huisarts-beterschap',
    purpose: 'wor-referral',
    dataCategory: 'contact-details',
    at,
  };

  it('permits under an active agreement between both parties', () => {
    expect(resolveAgreement([agreement], aq)).toMatchObject({ permitted: true, agreementId: 'a-1' });
  });

  it.each([
    ['no agreement', [], aq, /no active data-sharing agreement between welzijn-beterstad and huisarts-beterschap/],
    ['another partner', [agreement], { ...aq, partnerOrganisationId: 'huisarts-elders' }, /huisarts-elders/],
    ['a draft', [{ ...agreement, activatedAt: null }], aq, /not active/],
    ['terminated', [{ ...agreement, endedAt: new Date('2026-11-01T00:00:00Z') }], aq, /ended/],
    ['expired', [agreement], { ...aq, at: new Date('2027-02-01T00:00:00Z') }, /expired/],
    ['another purpose', [agreement], { ...aq, purpose: 'wor-feedback' }, /not for purpose wor-feedback/],
    ['another data category', [agreement], { ...aq, dataCategory: 'outcome' }, /not for data category outcome/],
  ])('denies with %s, with the reason', (_case, agreements, question, reason) => {
    expect(resolveAgreement(agreements, question)).toMatchObject({
      permitted: false,
      agreementId: null,
      reason: expect.stringMatching(reason),
    });
  });

  it('needs no agreement within one organisation', () => {
    expect(resolveAgreement([], { ...aq, partnerOrganisationId: 'welzijn-beterstad' }).permitted).toBe(true);
  });

  describe('mayAskAboutConsent: no consent oracle', () => {
    const ask = { ...aq, callerOrganisationId: 'huisarts-beterschap' };
    it('lets either party of an active agreement for the purpose ask, whatever the data category', () => {
      expect(mayAskAboutConsent([agreement], ask)).toBe(true);
      expect(mayAskAboutConsent([agreement], { ...ask, callerOrganisationId: 'welzijn-beterstad' })).toBe(true);
    });

    it.each([
      ['an organisation outside the question', [agreement], { ...ask, callerOrganisationId: 'huisarts-elders' }],
      ['no agreement', [], ask],
      ['a draft', [{ ...agreement, activatedAt: null }], ask],
      ['an agreement for another purpose', [agreement], { ...ask, purpose: 'wor-feedback' }],
      ['an expired agreement', [agreement], { ...ask, at: new Date('2027-02-01T00:00:00Z') }],
      [
        'a question within the caller itself (no sharing, so no agreement)',
        [agreement],
        { ...ask, organisationId: 'huisarts-beterschap' },
      ],
    ])('refuses %s', (_case, agreements, question) => {
      expect(mayAskAboutConsent(agreements, question)).toBe(false);
    });
  });
});
