// The consent aggregate: a patient's explicit choice about sharing — a consent (permit) or an objection
// (deny) — for recipient organisations, purposes and data categories (each may be left open), for a
// period, with evidence of how it was given. Withdrawal is a new fact, effective from that moment,
// never a deletion.
import type { ConsentPurpose, DataCategory } from '@wor/contracts';
import { IllegalStateError, NotFoundError } from '@wor/event-store';
import type { SealedPersonalData } from '@wor/privacy';

export type ConsentEvidence = Readonly<{
  /** Actor id of whoever recorded it (a user id, not a name). */
  recordedBy: string;
  /** The recording practice (the token's `org`): only it reads or withdraws the consent besides officers. */
  organisationId?: string | undefined;
  method: 'verbal' | 'signed' | 'digital';
  /** The document (scan, signed form) as a reference; sealed with the subject's key, as it may identify them. */
  documentReference?: SealedPersonalData | undefined;
}>;

export type ConsentTerms = Readonly<{
  consentId: string;
  subjectId: string;
  provision: 'permit' | 'deny';
  /** null: any organisation (the choice does not name one); likewise for purposes and data categories. */
  recipientOrganisationIds: string[] | null;
  purposes: ConsentPurpose[] | null;
  dataCategories: DataCategory[] | null;
  validFrom: string;
  validUntil: string | null;
}>;

/** The first version of the terms: a consent to one recipient (events recorded before objections existed). */
type LegacyTerms = Readonly<{
  consentId: string;
  subjectId: string;
  recipientOrganisationId: string;
  purposes: ConsentPurpose[];
  dataCategories: DataCategory[];
  validFrom: string;
  validUntil: string | null;
}>;

export type ConsentEvent =
  | { type: 'ConsentRecorded'; data: ConsentTerms & { evidence: ConsentEvidence; recordedAt: string } }
  | { type: 'ConsentGiven'; data: LegacyTerms & { evidence: ConsentEvidence; recordedAt: string } }
  | {
      type: 'ConsentWithdrawn';
      data: { consentId: string; subjectId: string; withdrawnAt: string; recordedBy: string };
    };

export type ConsentCommand =
  | { type: 'RecordConsent'; data: ConsentTerms & { evidence: ConsentEvidence }; metadata: { now: Date } }
  | { type: 'WithdrawConsent'; data: { consentId: string; recordedBy: string }; metadata: { now: Date } };

export type Consent =
  | { status: 'none' }
  | { status: 'active'; terms: ConsentTerms; evidence: ConsentEvidence; recordedAt: string }
  | {
      status: 'withdrawn';
      terms: ConsentTerms;
      evidence: ConsentEvidence;
      recordedAt: string;
      withdrawnAt: string;
      withdrawnBy: string;
    };

export const initialState = (): Consent => ({ status: 'none' });

export const upcastTerms = ({ recipientOrganisationId, ...terms }: LegacyTerms): ConsentTerms => ({
  ...terms,
  provision: 'permit',
  recipientOrganisationIds: [recipientOrganisationId],
});

export const decide = (command: ConsentCommand, state: Consent): ConsentEvent[] => {
  const { type, data, metadata } = command;
  switch (type) {
    case 'RecordConsent':
      if (state.status !== 'none') throw new IllegalStateError(`Consent ${data.consentId} is already recorded`);
      if (data.validUntil && data.validUntil <= data.validFrom)
        throw new IllegalStateError('A consent must end after it starts');
      return [{ type: 'ConsentRecorded', data: { ...data, recordedAt: metadata.now.toISOString() } }];
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
    case 'ConsentRecorded': {
      const { evidence, recordedAt, ...terms } = event.data;
      return { status: 'active', terms, evidence, recordedAt };
    }
    case 'ConsentGiven': {
      const { evidence, recordedAt, ...terms } = event.data;
      return { status: 'active', terms: upcastTerms(terms), evidence, recordedAt };
    }
    case 'ConsentWithdrawn':
      return state.status === 'none'
        ? state
        : { ...state, status: 'withdrawn', withdrawnAt: event.data.withdrawnAt, withdrawnBy: event.data.recordedBy };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

export const consentStreamId = (consentId: string): string => `consent-${consentId}`;
