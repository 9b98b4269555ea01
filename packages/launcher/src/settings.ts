// The launcher's own settings (environment), checked at start.
import { join } from 'node:path';
import { z } from 'zod';

const Port = z.coerce.number().int().min(1).max(65_535);

export const LauncherSettings = z.object({
  /** Demo data loaded once per data directory: a municipality after most of a year, one referral, or none. */
  WOR_DEMO: z.enum(['rich', 'minimal', 'none']).default('rich'),
  /** Secrets, the keyring and the embedded database; kept between runs. */
  WOR_DATA_DIR: z
    .string()
    .min(1)
    .default(join(__dirname, '..', '..', '..', '.data')),
  WOR_EMBEDDED_PG_PORT: Port.default(54329),
  WOR_WEB_PORT: Port.default(3000),
  /** As root: where the embedded database runs when its user cannot reach the checkout (read by embedded-database.ts). */
  WOR_EMBEDDED_ROOT_HOME: z.string().min(1).optional(),
  /** Any value: a start failure also prints where it happened (read by start.ts). */
  WOR_DEBUG: z.string().optional(),
});
export type LauncherSettings = z.infer<typeof LauncherSettings>;
