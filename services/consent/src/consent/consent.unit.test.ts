import { deciderSpec } from '@wor/test-support';
import { decide, evolve, initialState, type ConsentEvent } from './consent';

const spec = deciderSpec({ decide, evolve, initialState });
const now = new Date('2026-11-23T10:00:00.000Z');
const consentId = '8c2b3a6e-2f7d-4a43-9d55-2d0f4d2b9b11';
const terms = {
  consentId,
  subjectId: `sub_${'1'.repeat(32)}`,
  recipientOrganisationId: 'welzijn-beterstad',
  purposes: ['wor-referral' as const],
  dataCategories: ['contact-details' as const, 'referral-reason' as const],
  validFrom: '2026-11-01T00:00:00.000Z',
  validUntil: null,
};
const evidence = { recordedBy: 'user-poh-1', method: 'verbal' as const };
const given: ConsentEvent = { type: 'ConsentGiven', data: { ...terms, evidence, recordedAt: now.toISOString() } };
const withdrawn: ConsentEvent = {
  type: 'ConsentWithdrawn',
  data: { consentId, subjectId: terms.subjectId, withdrawnAt: now.toISOString(), recordedBy: 'user-poh-1' },
};

describe('Consent', () => {
  describe('GiveConsent', () => {
    it('records the consent with its evidence', () =>
      spec
        .given([])
        .when({ type: 'GiveConsent', data: { ...terms, evidence }, metadata: { now } })
        .then([given]));

    it('is refused when the consent is already recorded', () =>
      spec
        .given([given])
        .when({ type: 'GiveConsent', data: { ...terms, evidence }, metadata: { now } })
        .thenThrows((error) => expect(error.name).toBe('IllegalStateError')));
  });

  describe('WithdrawConsent', () => {
    it('records the withdrawal as a new fact', () =>
      spec
        .given([given])
        .when({ type: 'WithdrawConsent', data: { consentId, recordedBy: 'user-poh-1' }, metadata: { now } })
        .then([withdrawn]));

    it('is refused for an unknown consent', () =>
      spec
        .given([])
        .when({ type: 'WithdrawConsent', data: { consentId, recordedBy: 'user-poh-1' }, metadata: { now } })
        .thenThrows((error) => expect(error.name).toBe('NotFoundError')));

    it('is refused when already withdrawn', () =>
      spec
        .given([given, withdrawn])
        .when({ type: 'WithdrawConsent', data: { consentId, recordedBy: 'user-poh-1' }, metadata: { now } })
        .thenThrows((error) => expect(error.message).toMatch(/already withdrawn/)));
  });
});
