import { deciderSpec } from '@wor/test-support';
import { decide, evolve, initialState, type ReferralEvent, type ReferralFacts } from './referral';

const spec = deciderSpec({ decide, evolve, initialState });
const now = new Date('2026-11-23T10:00:00.000Z');
const facts: ReferralFacts = {
  referralId: '0b8f7a52-51a3-4d0b-a7a5-0f7f0b6c1f10',
  consentId: '8c2b3a6e-2f7d-4a43-9d55-2d0f4d2b9b11',
  subjectId: `sub_${'1'.repeat(32)}`,
  patient: { subjectId: `sub_${'1'.repeat(32)}`, alg: 'A256GCM', iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y2lwaGVy' },
  municipality: 'GM9999',
  practiceId: 'huisarts-beterschap',
  recipientOrganisationId: 'welzijn-beterstad',
  referrerRole: 'huisarts',
  reasons: ['eenzaamheid'],
  ageBand: '65-74',
  sex: 'female',
};
const requested: ReferralEvent = {
  type: 'ReferralRequested',
  data: { ...facts, requestedBy: 'gp-system-1', requestedAt: now.toISOString() },
};

describe('Referral', () => {
  describe('SubmitReferral', () => {
    it('requests the referral when consent permits it', () =>
      spec
        .given([])
        .when({ type: 'SubmitReferral', data: { ...facts, requestedBy: 'gp-system-1', consent: { permitted: true } }, metadata: { now } })
        .then([requested]));

    it('is refused without an active consent, naming why', () =>
      spec
        .given([])
        .when({
          type: 'SubmitReferral',
          data: { ...facts, requestedBy: 'gp-system-1', consent: { permitted: false, reason: 'the consent was withdrawn' } },
          metadata: { now },
        })
        .thenThrows((error) => {
          expect(error.name).toBe('ForbiddenError');
          expect(error.message).toMatch(/withdrawn/);
        }));

    it('is refused for a referral that already exists, naming its status', () =>
      spec
        .given([requested])
        .when({ type: 'SubmitReferral', data: { ...facts, requestedBy: 'gp-system-1', consent: { permitted: true } }, metadata: { now } })
        .thenThrows((error) => {
          expect(error.name).toBe('IllegalStateError');
          expect(error.message).toMatch(/already requested/);
        }));
  });
});
