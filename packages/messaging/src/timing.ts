/** Promise-based delay. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with a cap: attempt 1 → base, 2 → 2·base, … */
export const backoffMs = (attempt: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));

/** Error fields safe to log: name and message, never the offending data. */
export const errorSummary = (error: unknown): { name: string; message: string } =>
  error instanceof Error
    ? { name: error.name, message: error.message.slice(0, 500) }
    : { name: 'NonError', message: String(error).slice(0, 500) };
