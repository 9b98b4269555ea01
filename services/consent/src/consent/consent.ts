// The consent aggregate: a patient's explicit consent to share data with one recipient organisation,
// for purposes and data categories, for a period. Withdrawal is a new fact, never a deletion.
import type { ConsentPurpose, DataCategory } from '@wor/contracts';
import { IllegalStateError, NotFoundError } from '@wor/event-store';

export type ConsentEvidence = Readonly<{
  /** Actor id of whoever recorded it (a user id, not a name). */
  recordedBy: string;
  method: 'verbal' | 'signed' | 'digital';
  documentReference?: string | undefined;
}>;

export type ConsentTerms = Readonly<{
  consentId: string;
  subjectId: string;
  recipientOrganisationId: string;
  purposes: ConsentPurpose[];
  dataCategories: DataCategory[];
  validFrom: string;
  validUntil: string | null;
}>;

export type ConsentEvent =
  | { type: 'ConsentGiven'; data: ConsentTerms & { evidence: ConsentEvidence; recordedAt: string } }
  | { type: 'ConsentWithdrawn'; data: { consentId: string; subjectId: string; withdrawnAt: string; recordedBy: string } };

export type ConsentCommand =
  | { type: 'GiveConsent'; data: ConsentTerms & { evidence: ConsentEvidence }; metadata: { now: Date } }
  | { type: 'WithdrawConsent'; data: { consentId: string; recordedBy: string }; metadata: { now: Date } };

export type Consent =
  | { status: 'none' }
  | { status: 'active'; terms: ConsentTerms }
  | { status: 'withdrawn'; terms: ConsentTerms; withdrawnAt: string };

export const initialState = (): Consent => ({ status: 'none' });

export const decide = (command: ConsentCommand, state: Consent): ConsentEvent[] => {
  const { type, data, metadata } = command;
  switch (type) {
    case 'GiveConsent':
      if (state.status !== 'none') throw new IllegalStateError(`Consent ${data.consentId} is already recorded`);
      return [{ type: 'ConsentGiven', data: { ...data, recordedAt: metadata.now.toISOString() } }];
    case 'WithdrawConsent':
      if (state.status === 'none') throw new NotFoundError(`Consent ${data.consentId} does not exist`);
      if (state.status === 'withdrawn') throw new IllegalStateError(`Consent ${data.consentId} is already withdrawn`);
      return [
        {
          type: 'ConsentWithdrawn',
          data: {
            consentId: data.consentId,
            subjectId: state.terms.subjectId,
            withdrawnAt: metadata.now.toISOString(),
            recordedBy: data.recordedBy,
          },
        },
      ];
    default: {
      const _exhaustive: never = type;
      throw new Error(`Unknown command ${String(_exhaustive)}`);
    }
  }
};

export const evolve = (state: Consent, event: ConsentEvent): Consent => {
  switch (event.type) {
    case 'ConsentGiven': {
      const { evidence: _evidence, recordedAt: _recordedAt, ...terms } = event.data;
      return { status: 'active', terms };
    }
    case 'ConsentWithdrawn':
      return state.status === 'none' ? state : { status: 'withdrawn', terms: state.terms, withdrawnAt: event.data.withdrawnAt };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

export const consentStreamId = (consentId: string): string => `consent-${consentId}`;
