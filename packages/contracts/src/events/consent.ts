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
    parties: z.array(z.object({ organisationId: OrganisationId, role: AgreementPartyRole }).strict()).min(2).max(50),
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
  'DataSharingAgreementActivated.v1': DataSharingAgreementActivatedV1,
  'DataSharingAgreementEnded.v1': DataSharingAgreementEndedV1,
} as const;
