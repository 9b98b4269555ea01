import { z } from 'zod';
import { defineEvent } from '../envelope';
import { AgeBand, OrganisationId, ReferralReason, ReferrerRole, Sex } from '../vocabulary';

/** A GP system referred a patient to a welfare organisation. Carries no personal data. */
export const ReferralRequestedV1 = defineEvent(
  'ReferralRequested',
  1,
  z.object({
    referralId: z.uuid(),
    consentId: z.uuid(),
    practiceId: OrganisationId,
    recipientOrganisationId: OrganisationId,
    referrerRole: ReferrerRole,
    reasons: z.array(ReferralReason).min(1).max(10),
    ageBand: AgeBand,
    sex: Sex,
    requestedAt: z.iso.datetime({ offset: true }),
  }),
);
export type ReferralRequestedV1 = z.infer<typeof ReferralRequestedV1>;
