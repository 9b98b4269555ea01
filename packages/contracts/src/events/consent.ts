import { z } from 'zod';
import { defineEvent } from '../envelope';
import { ConsentPurpose, DataCategory, OrganisationId } from '../vocabulary';

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
