// The referral aggregate (Gravity Task status model). This slice covers submission; the rest of the
// Welzijn op Recept steps build on the same decide/evolve.
import type { AgeBand, ReferralReason, ReferrerRole, Sex } from '@wor/contracts';
import { ForbiddenError, IllegalStateError } from '@wor/event-store';
import type { SealedPersonalData } from '@wor/privacy';
import type { AccessDecision } from '../consent-view/access-decision';

export type ReferralFacts = Readonly<{
  referralId: string;
  consentId: string;
  subjectId: string;
  /** Contact details, encrypted with the subject's own key (crypto-shredding). */
  patient: SealedPersonalData;
  municipality: string;
  practiceId: string;
  recipientOrganisationId: string;
  referrerRole: ReferrerRole;
  reasons: ReferralReason[];
  ageBand: AgeBand;
  sex: Sex;
}>;

export type ReferralEvent = {
  type: 'ReferralRequested';
  data: ReferralFacts & { requestedAt: string; requestedBy: string };
};

export type ReferralCommand = {
  type: 'SubmitReferral';
  data: ReferralFacts & { requestedBy: string; consent: AccessDecision };
  metadata: { now: Date };
};

export type Referral =
  | { status: 'none' }
  | { status: 'requested'; referralId: string; recipientOrganisationId: string; requestedAt: string };

export const initialState = (): Referral => ({ status: 'none' });

export const decide = (command: ReferralCommand, state: Referral): ReferralEvent[] => {
  const { type, data, metadata } = command;
  switch (type) {
    case 'SubmitReferral': {
      if (state.status !== 'none') throw new IllegalStateError(`Referral ${data.referralId} is already ${state.status}`);
      if (!data.consent.permitted) throw new ForbiddenError(`No active consent for this referral: ${data.consent.reason}`);
      const { consent: _consent, ...facts } = data;
      return [{ type: 'ReferralRequested', data: { ...facts, requestedAt: metadata.now.toISOString() } }];
    }
    default: {
      const _exhaustive: never = type;
      throw new Error(`Unknown command ${String(_exhaustive)}`);
    }
  }
};

export const evolve = (state: Referral, event: ReferralEvent): Referral => {
  switch (event.type) {
    case 'ReferralRequested':
      return {
        status: 'requested',
        referralId: event.data.referralId,
        recipientOrganisationId: event.data.recipientOrganisationId,
        requestedAt: event.data.requestedAt,
      };
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
};

export const referralStreamId = (referralId: string): string => `referral-${referralId}`;
