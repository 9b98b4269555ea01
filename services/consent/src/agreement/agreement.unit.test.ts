import { deciderSpec } from '@wor/test-support';
import { decide, evolve, initialState, type AgreementEvent, type AgreementTerms } from './agreement';

const spec = deciderSpec({ decide, evolve, initialState });
const now = new Date('2026-11-23T10:00:00.000Z');
const agreementId = '0b0c3b8e-1d7f-4a43-9d55-2d0f4d2b9b11';
const terms: AgreementTerms = {
  agreementId,
  kind: 'samenwerkingsovereenkomst',
  title: 'Welzijn op Recept Beterstad',
  parties: [
    { organisationId: 'huisarts-beterschap', role: 'joint-controller' },
    { organisationId: 'welzijn-beterstad', role: 'joint-controller' },
  ],
  legalBasis: { article6: 'a-consent', article9Exception: 'a-explicit-consent' },
  purposes: ['wor-referral'],
  dataCategories: ['contact-details', 'referral-reason'],
  recipientOrganisationIds: ['welzijn-beterstad'],
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2027-01-01T00:00:00.000Z',
  retentionMonths: 24,
  processingRegisterReference: 'VWA-2026-017',
};
const drafted: AgreementEvent = {
  type: 'AgreementDrafted',
  data: { ...terms, draftedBy: 'po-1', draftedAt: now.toISOString() },
};
const activated: AgreementEvent = {
  type: 'AgreementActivated',
  data: { agreementId, activatedBy: 'po-1', activatedAt: now.toISOString(), terms },
};
const draft = (t: Partial<AgreementTerms>) => ({
  type: 'DraftAgreement' as const,
  data: { ...terms, ...t, by: 'po-1' },
  metadata: { now },
});
const later = new Date('2027-01-02T00:00:00.000Z');

describe('DataSharingAgreement', () => {
  it('is drafted with its terms', () => spec.given([]).when(draft({})).then([drafted]));

  it.each([
    ['a party named twice', { parties: [terms.parties[0]!, terms.parties[0]!] }, /only once/],
    ['one party', { parties: [terms.parties[0]!] }, /two parties/],
    ['a processor agreement without processor', { kind: 'verwerkersovereenkomst' as const }, /needs a processor/],
    [
      'only processors',
      {
        parties: [
          { organisationId: 'a-b', role: 'processor' as const },
          { organisationId: 'c-d', role: 'processor' as const },
        ],
        recipientOrganisationIds: [],
      },
      /controller/,
    ],
    ['a recipient who is no party', { recipientOrganisationIds: ['welzijn-elders'] }, /welzijn-elders/],
    ['an end before its start', { validUntil: '2025-01-01T00:00:00.000Z' }, /end after/],
    [
      'health data without an art. 9 exception',
      {
        dataCategories: ['health-summary' as const],
        legalBasis: { article6: 'a-consent' as const, article9Exception: null },
      },
      /art. 9/,
    ],
  ])('refuses a draft with %s', (_case, t, message) =>
    spec
      .given([])
      .when(draft(t))
      .thenThrows((e) => expect(e.message).toMatch(message)),
  );

  it('activates a draft', () =>
    spec
      .given([drafted])
      .when({ type: 'ActivateAgreement', data: { agreementId, by: 'po-1' }, metadata: { now } })
      .then([activated]));

  it('does not activate twice, nor past its period', () => {
    spec
      .given([drafted, activated])
      .when({ type: 'ActivateAgreement', data: { agreementId, by: 'po-1' }, metadata: { now } })
      .thenThrows((e) => expect(e.message).toMatch(/not a draft/));
    spec
      .given([drafted])
      .when({ type: 'ActivateAgreement', data: { agreementId, by: 'po-1' }, metadata: { now: later } })
      .thenThrows((e) => expect(e.message).toMatch(/period is over/));
  });

  it('terminates an active agreement, once', () => {
    const terminated: AgreementEvent = {
      type: 'AgreementTerminated',
      data: { agreementId, terminatedBy: 'po-1', terminatedAt: now.toISOString() },
    };
    spec
      .given([drafted, activated])
      .when({ type: 'TerminateAgreement', data: { agreementId, by: 'po-1' }, metadata: { now } })
      .then([terminated]);
    spec
      .given([drafted, activated, terminated])
      .when({ type: 'TerminateAgreement', data: { agreementId, by: 'po-1' }, metadata: { now } })
      .thenThrows((e) => expect(e.message).toMatch(/already terminated/));
  });

  it('expires at its end date, not before', () => {
    spec
      .given([drafted, activated])
      .when({ type: 'ExpireAgreement', data: { agreementId }, metadata: { now: later } })
      .then([{ type: 'AgreementExpired', data: { agreementId, expiredAt: '2027-01-01T00:00:00.000Z' } }]);
    spec
      .given([drafted, activated])
      .when({ type: 'ExpireAgreement', data: { agreementId }, metadata: { now } })
      .thenThrows((e) => expect(e.message).toMatch(/not reached its end/));
  });

  it('refuses commands for an unknown agreement', () =>
    spec
      .given([])
      .when({ type: 'ActivateAgreement', data: { agreementId, by: 'po-1' }, metadata: { now } })
      .thenThrows((e) => expect(e.name).toBe('NotFoundError')));
});
