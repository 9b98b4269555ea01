// The launcher's own settings (environment), checked at start.
import { z } from 'zod';

export const LauncherSettings = z.object({
  /** Demo data loaded once per data directory: a municipality after most of a year, one referral, or none. */
  WOR_DEMO: z.enum(['rich', 'minimal', 'none']).default('rich'),
});
export type LauncherSettings = z.infer<typeof LauncherSettings>;
