// The consent service's own settings (docs/configuration.md), validated with the process configuration.
import { FhirSettingsSchema } from '@wor/service-kit';
import { z } from 'zod';
import { MIN_RETENTION_YEARS } from './access-log/chain';

export const ConsentSettings = z.object({
  ...FhirSettingsSchema.shape,
  /** NEN 7513 asks for at least five years; lower stops the start. */
  WOR_ACCESS_LOG_RETENTION_YEARS: z.coerce
    .number()
    .int('a whole number of years')
    .min(MIN_RETENTION_YEARS, `at least ${MIN_RETENTION_YEARS} years`)
    .default(MIN_RETENTION_YEARS),
  /** The referral service, for its part of the art. 15 report; without it that part is named missing. */
  WOR_REFERRAL_URL: z.url().optional(),
});
