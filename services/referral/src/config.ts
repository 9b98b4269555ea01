// The referral service's own settings (docs/configuration.md), validated with the process configuration.
import { FhirSettingsSchema } from '@wor/service-kit';
import { z } from 'zod';

export const ReferralSettings = z.object({
  ...FhirSettingsSchema.shape,
  REFERRAL_NOT_REACHABLE_AFTER_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  REFERRAL_FIRST_CONTACT_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(5),
  // How often documents held for consent are tried again.
  REFERRAL_ZORGDOMEIN_RETRY_MS: z.coerce.number().int().min(100).max(3_600_000).default(2000),
  // Where feedback documents for the GP go (the channel's endpoint), and the bearer token it expects.
  REFERRAL_ZORGDOMEIN_FEEDBACK_URL: z.url({ protocol: /^https?$/ }).optional(),
  REFERRAL_ZORGDOMEIN_FEEDBACK_TOKEN: z.string().min(1).optional(),
  // FHIR Subscriptions: how often the queues are looked at, and the backoff after a failed delivery.
  REFERRAL_SUBSCRIPTION_TICK_MS: z.coerce.number().int().min(20).max(60_000).default(250),
  REFERRAL_SUBSCRIPTION_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(1000),
  REFERRAL_SUBSCRIPTION_RETRY_CAP_MS: z.coerce.number().int().min(10).max(86_400_000).default(600_000),
  // Subscription endpoints are https on public addresses only; these hosts (comma list) may be http and
  // internal (tests, local development: `127.0.0.1,localhost`).
  REFERRAL_SUBSCRIPTION_ALLOWED_HOSTS: z.string().default(''),
});
