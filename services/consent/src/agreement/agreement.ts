// A data-sharing agreement (samenwerkingsovereenkomst between joint controllers, verwerkersovereenkomst
// with a processor): who shares what, on which legal basis, for which purposes, for how long.
// Lifecycle: draft → active → expired | terminated. Sharing between organisations needs an active one.
import type { ConsentPurpose, DataCategory } from '@wor/contracts';
import { IllegalStateError, NotFoundError } from '@wor/event-store';

export type PartyRole = 'controller' | 'joint-controller' | 'processor';
export type Party = Readonly<{ organisationId: string; role: PartyRole }>;

/** AVG art. 6(1) ground and, for health data (a special category), the art. 9(2) exception. */
export type LegalBasis = Readonly<{
  article6:
    | 'a-consent'
    | 'b-contract'
    | 'c-legal-obligation'
    | 'd-vital-interests'
    | 'e-public-task'
    | 'f-legitimate-interests';
  article9Exception: 'a-explicit-consent' | 'h-health-care' | 'g-substantial-public-interest' | null;
}>;

export type AgreementTerms = Readonly<{
  agreementId: string;
  kind: 'samenwerkingsovereenkomst' | 'verwerkersovereenkomst';
  title: string;
  parties: Party[];
  legalBasis: LegalBasis;
  purposes: ConsentPurpose[];
  dataCategories: DataCategory[];
  /** Organisations that may receive data under it (a subset of the parties). */
  recipientOrganisationIds: string[];
  validFrom: string;
  validUntil: string | null;
  /** How long shared data is kept after the end of the processing, in months. */
  retentionMonths: number;
  /** Reference into the register of processing activities (AVG art. 30). */
  processingRegisterReference: string;
}>;

export type AgreementEvent =
  | { type: 'AgreementDrafted'; data: AgreementTerms & { draftedBy: string; draftedAt: string } }
  | {
      type: 'AgreementActivated';
      data: { agreementId: string; activatedBy: string; activatedAt: string; terms: AgreementTerms };
    }
  | { type: 'AgreementTerminated'; data: { agreementId: string; terminatedBy: string; terminatedAt: string } }
  | { type: 'AgreementExpired'; data: { agreementId: string; expiredAt: string } };

export type AgreementCommand =
  | { type: 'DraftAgreement'; data: AgreementTerms & { by: string }; metadata: { now: Date } }
  | { type: 'ActivateAgreement'; data: { agreementId: string; by: string }; metadata: { now: Date } }
  | { type: 'TerminateAgreement'; data: { agreementId: string; by: string }; metadata: { now: Date } }
  | { type: 'ExpireAgreement'; data: { agreementId: string }; metadata: { now: Date } };

export type Agreement =
  | { status: 'none' }
  | {
      status: 'draft' | 'active' | 'expired' | 'terminated';
      terms: AgreementTerms;
      activatedAt: string | null;
      endedAt: string | null;
    };

export const initialState = (): Agreement => ({ status: 'none' });

const checkTerms = (t: AgreementTerms) => {
  const ids = t.parties.map((p) => p.organisationId);
  if (new Set(ids).size !== ids.length) throw new IllegalStateError('An organisation can be a party only once');
  if (t.parties.length < 2) throw new IllegalStateError('An agreement needs at least two parties');
  if (t.kind === 'verwerkersovereenkomst' && !t.parties.some((p) => p.role === 'processor'))
    throw new IllegalStateError('A verwerkersovereenkomst needs a processor');
  if (!t.parties.some((p) => p.role !== 'processor')) throw new IllegalStateError('An agreement needs a controller');
  const strangers = t.recipientOrganisationIds.filter((r) => !ids.includes(r));
  if (strangers.length) throw new IllegalStateError(`Recipients must be parties: ${strangers.join(', ')}`);
  if (t.validUntil && t.validUntil <= t.validFrom) throw new IllegalStateError('An agreement must end after it starts');
  // Health data is a special category: sharing it needs an art. 9(2) exception.
  if (t.dataCategories.includes('health-summary') && !t.legalBasis.article9Exception)
    throw new IllegalStateError('Sharing health data needs an AVG art. 9 exception');
};

export const decide = (command: AgreementCommand, state: Agreement): AgreementEvent[] => {
  const { type, data, metadata } = command;
  const now = metadata.now.toISOString();
  switch (type) {
    case 'DraftAgreement': {
      if (state.status !== 'none') throw new IllegalStateError(`Agreement ${data.agreementId} already exists`);
      const { by, ...terms } = data;
      checkTerms(terms);
      return [{ type: 'AgreementDrafted', data: { ...terms, draftedBy: by, draftedAt: now } }];
    }
    case 'ActivateAgreement':
      if (state.status === 'none') throw new NotFoundError(`Agreement ${data.agreementId} does not exist`);
      if (state.status !== 'draft')
        throw new IllegalStateError(`Agreement ${data.agreementId} is ${state.status}, not a draft`);
      if (state.terms.validUntil && state.terms.validUntil <= now)
        throw new IllegalStateError('The agreement’s period is over');
      // The terms travel with the activation: the relay publishes them without reading the stream.
      return [
        {
          type: 'AgreementActivated',
          data: { agreementId: data.agreementId, activatedBy: data.by, activatedAt: now, terms: state.terms },
        },
      ];
    case 'TerminateAgreement':
      if (state.status === 'none') throw new NotFoundError(`Agreement ${data.agreementId} does not exist`);
      if (state.status !== 'active' && state.status !== 'draft')
        throw new IllegalStateError(`Agreement ${data.agreementId} is already ${state.status}`);
      return [
        {
          type: 'AgreementTerminated',
          data: { agreementId: data.agreementId, terminatedBy: data.by, terminatedAt: now },
        },
      ];
    case 'ExpireAgreement':
      if (state.status === 'none') throw new NotFoundError(`Agreement ${data.agreementId} does not exist`);
      if (state.status !== 'active')
        throw new IllegalStateError(`Agreement ${data.agreementId} is ${state.status}, not active`);
      if (!state.terms.validUntil || state.terms.validUntil > now)
        throw new IllegalStateError('The agreement has not reached its end');
      // It ended at its end date, even when the sweep notices later.
      return [{ type: 'AgreementExpired', data: { agreementId: data.agreementId, expiredAt: state.terms.validUntil } }];
    default: {
      const _exhaustive: never = type;
      throw new Error(`Unknown command ${String(_exhaustive)}`);
    }
  }
};

export const evolve = (state: Agreement, event: AgreementEvent): Agreement => {
  switch (event.type) {
    case 'AgreementDrafted': {
      const { draftedBy: _by, draftedAt: _at, ...terms } = event.data;
      return { status: 'draft', terms, activatedAt: null, endedAt: null };
    }
    case 'AgreementActivated':
      return state.status === 'none' ? state : { ...state, status: 'active', activatedAt: event.data.activatedAt };
    case 'AgreementTerminated':
      return state.status === 'none' ? state : { ...state, status: 'terminated', endedAt: event.data.terminatedAt };
    case 'AgreementExpired':
      return state.status === 'none' ? state : { ...state, status: 'expired', endedAt: event.data.expiredAt };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

export const agreementStreamId = (agreementId: string): string => `agreement-${agreementId}`;
