// Settings of the referral service's rules, from the environment, checked at start.
import { z } from 'zod';

const Settings = z.object({
  REFERRAL_NOT_REACHABLE_AFTER_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  REFERRAL_FIRST_CONTACT_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(5),
  // How often documents held for consent are tried again.
  REFERRAL_ZORGDOMEIN_RETRY_MS: z.coerce.number().int().min(100).max(3_600_000).default(2000),
  // Where feedback documents for the GP go (the channel's endpoint), and the bearer token it expects.
  REFERRAL_ZORGDOMEIN_FEEDBACK_URL: z.url({ protocol: /^https?$/ }).optional(),
  REFERRAL_ZORGDOMEIN_FEEDBACK_TOKEN: z.string().min(1).optional(),
});

export type ReferralSettings = Readonly<{
  notReachableAfterAttempts: number;
  firstContactWorkingDays: number;
  zorgdomeinRetryMs: number;
  zorgdomeinFeedbackUrl: string | undefined;
  zorgdomeinFeedbackToken: string | undefined;
}>;

export const referralSettingsFrom = (env: NodeJS.ProcessEnv): ReferralSettings => {
  const parsed = Settings.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `Invalid referral settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return {
    notReachableAfterAttempts: parsed.data.REFERRAL_NOT_REACHABLE_AFTER_ATTEMPTS,
    firstContactWorkingDays: parsed.data.REFERRAL_FIRST_CONTACT_WORKING_DAYS,
    zorgdomeinRetryMs: parsed.data.REFERRAL_ZORGDOMEIN_RETRY_MS,
    zorgdomeinFeedbackUrl: parsed.data.REFERRAL_ZORGDOMEIN_FEEDBACK_URL,
    zorgdomeinFeedbackToken: parsed.data.REFERRAL_ZORGDOMEIN_FEEDBACK_TOKEN,
  };
};
