import { z } from 'zod';
import { defineEvent } from '../envelope';
import { ConsentPurpose, DataCategory, OrganisationId } from '../vocabulary';

const at = z.iso.datetime({ offset: true });

/** A patient's explicit consent to share data with a recipient organisation (subject in the envelope). */
export const ConsentGivenV1 = defineEvent(
  'ConsentGiven',
  1,
  z.object({
    consentId: z.uuid(),
    recipientOrganisationId: OrganisationId,
    purposes: z.array(ConsentPurpose).min(1),
    dataCategories: z.array(DataCategory).min(1),
    validFrom: z.iso.datetime({ offset: true }),
    validUntil: z.iso.datetime({ offset: true }).nullable(),
  }),
);
export type ConsentGivenV1 = z.infer<typeof ConsentGivenV1>;

/** The patient withdrew a consent (AVG art. 7(3)); effective from `withdrawnAt`. */
export const ConsentWithdrawnV1 = defineEvent(
  'ConsentWithdrawn',
  1,
  z.object({
    consentId: z.uuid(),
    withdrawnAt: z.iso.datetime({ offset: true }),
  }),
);
export type ConsentWithdrawnV1 = z.infer<typeof ConsentWithdrawnV1>;

/**
 * A patient's choice about sharing, consent (`permit`) or objection (`deny`), recorded with evidence
 * (kept in the consent service). Scope fields left `null` leave that dimension open (any recipient,
 * purpose or data category); the more specific choice wins, an objection beats an equally specific
 * consent. Supersedes ConsentGivenV1, which could only express a consent to one recipient; consumers
 * should keep accepting ConsentGivenV1 (a permit to that one recipient).
 */
export const ConsentRecordedV1 = defineEvent(
  'ConsentRecorded',
  1,
  z.object({
    consentId: z.uuid(),
    provision: z.enum(['permit', 'deny']),
    recipientOrganisationIds: z.array(OrganisationId).min(1).max(50).nullable(),
    purposes: z.array(ConsentPurpose).min(1).nullable(),
    dataCategories: z.array(DataCategory).min(1).nullable(),
    validFrom: at,
    validUntil: at.nullable(),
  }),
);
export type ConsentRecordedV1 = z.infer<typeof ConsentRecordedV1>;

/**
 * AVG art. 17: the subject's key was destroyed (crypto-shredding) at `erasedAt`. Every service that
 * holds data of the envelope's subject erases its own subject key and what it can relate to them.
 */
export const SubjectErasedV1 = defineEvent('SubjectErased', 1, z.object({ erasedAt: at }));
export type SubjectErasedV1 = z.infer<typeof SubjectErasedV1>;

/** The role an organisation plays in a data-sharing agreement (AVG art. 4, 26, 28). */
export const AgreementPartyRole = z.enum(['controller', 'joint-controller', 'processor']);
export type AgreementPartyRole = z.infer<typeof AgreementPartyRole>;

/**
 * A data-sharing agreement (samenwerkingsovereenkomst, verwerkersovereenkomst) became active: sharing
 * between its parties is lawful for its purposes and data categories in its period, given consent.
 */
export const DataSharingAgreementActivatedV1 = defineEvent(
  'DataSharingAgreementActivated',
  1,
  z.object({
    agreementId: z.uuid(),
    parties: z
      .array(z.object({ organisationId: OrganisationId, role: AgreementPartyRole }).strict())
      .min(2)
      .max(50),
    purposes: z.array(ConsentPurpose).min(1),
    dataCategories: z.array(DataCategory).min(1),
    validFrom: at,
    validUntil: at.nullable(),
    activatedAt: at,
  }),
);
export type DataSharingAgreementActivatedV1 = z.infer<typeof DataSharingAgreementActivatedV1>;

/** An agreement ended: it expired or was terminated. Sharing under it stops from `endedAt`. */
export const DataSharingAgreementEndedV1 = defineEvent(
  'DataSharingAgreementEnded',
  1,
  z.object({ agreementId: z.uuid(), how: z.enum(['expired', 'terminated']), endedAt: at }),
);
export type DataSharingAgreementEndedV1 = z.infer<typeof DataSharingAgreementEndedV1>;

export const consentEventSchemas = {
  'ConsentGiven.v1': ConsentGivenV1,
  'ConsentWithdrawn.v1': ConsentWithdrawnV1,
  'ConsentRecorded.v1': ConsentRecordedV1,
  'SubjectErased.v1': SubjectErasedV1,
  'DataSharingAgreementActivated.v1': DataSharingAgreementActivatedV1,
  'DataSharingAgreementEnded.v1': DataSharingAgreementEndedV1,
} as const;
