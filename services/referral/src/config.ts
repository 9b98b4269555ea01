// The referral service's own settings (docs/configuration.md), validated with the process configuration.
import { z } from 'zod';

export const ReferralSettings = z.object({
  REFERRAL_NOT_REACHABLE_AFTER_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  REFERRAL_FIRST_CONTACT_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(5),
});
