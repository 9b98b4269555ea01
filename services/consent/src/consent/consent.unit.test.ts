import { deciderSpec } from '@wor/test-support';
import { decide, evolve, initialState, type ConsentEvent, type ConsentTerms } from './consent';

const spec = deciderSpec({ decide, evolve, initialState });
const now = new Date('2026-11-23T10:00:00.000Z');
const consentId = '8c2b3a6e-2f7d-4a43-9d55-2d0f4d2b9b11';
const terms: ConsentTerms = {
  consentId,
  subjectId: `sub_${'1'.repeat(32)}`,
  provision: 'permit',
  recipientOrganisationIds: ['welzijn-beterstad'],
  purposes: ['wor-referral'],
  dataCategories: ['contact-details', 'referral-reason'],
  validFrom: '2026-11-01T00:00:00.000Z',
  validUntil: null,
};
const evidence = { recordedBy: 'user-poh-1', method: 'verbal' as const };
const recorded: ConsentEvent = { type: 'ConsentRecorded', data: { ...terms, evidence, recordedAt: now.toISOString() } };
const withdrawn: ConsentEvent = {
  type: 'ConsentWithdrawn',
  data: { consentId, subjectId: terms.subjectId, withdrawnAt: now.toISOString(), recordedBy: 'user-poh-1' },
};

describe('Consent', () => {
  describe('RecordConsent', () => {
    it('records the consent with its evidence', () =>
      spec
        .given([])
        .when({ type: 'RecordConsent', data: { ...terms, evidence }, metadata: { now } })
        .then([recorded]));

    it('records an objection with open scopes the same way', () => {
      const objection = { ...terms, provision: 'deny' as const, recipientOrganisationIds: null, dataCategories: null };
      return spec
        .given([])
        .when({ type: 'RecordConsent', data: { ...objection, evidence }, metadata: { now } })
        .then([{ type: 'ConsentRecorded', data: { ...objection, evidence, recordedAt: now.toISOString() } }]);
    });

    it('is refused when the consent is already recorded', () =>
      spec
        .given([recorded])
        .when({ type: 'RecordConsent', data: { ...terms, evidence }, metadata: { now } })
        .thenThrows((error) => expect(error.name).toBe('IllegalStateError')));

    it('is refused when it would end before it starts', () =>
      spec
        .given([])
        .when({
          type: 'RecordConsent',
          data: { ...terms, validUntil: '2026-10-01T00:00:00.000Z', evidence },
          metadata: { now },
        })
        .thenThrows((error) => expect(error.message).toMatch(/end after it starts/)));
  });

  describe('WithdrawConsent', () => {
    it('records the withdrawal as a new fact', () =>
      spec
        .given([recorded])
        .when({ type: 'WithdrawConsent', data: { consentId, recordedBy: 'user-poh-1' }, metadata: { now } })
        .then([withdrawn]));

    it('withdraws a consent recorded in the first event version too', () =>
      spec
        .given([
          {
            type: 'ConsentGiven',
            data: {
              consentId,
              subjectId: terms.subjectId,
              recipientOrganisationId: 'welzijn-beterstad',
              purposes: ['wor-referral'],
              dataCategories: ['contact-details'],
              validFrom: terms.validFrom,
              validUntil: null,
              evidence,
              recordedAt: now.toISOString(),
            },
          },
        ])
        .when({ type: 'WithdrawConsent', data: { consentId, recordedBy: 'user-poh-1' }, metadata: { now } })
        .then([withdrawn]));

    it('is refused for an unknown consent', () =>
      spec
        .given([])
        .when({ type: 'WithdrawConsent', data: { consentId, recordedBy: 'user-poh-1' }, metadata: { now } })
        .thenThrows((error) => expect(error.name).toBe('NotFoundError')));

    it('is refused when already withdrawn', () =>
      spec
        .given([recorded, withdrawn])
        .when({ type: 'WithdrawConsent', data: { consentId, recordedBy: 'user-poh-1' }, metadata: { now } })
        .thenThrows((error) => expect(error.message).toMatch(/already withdrawn/)));
  });
});
