// Configuration from environment variables, validated up front so a service fails at start, naming
// every bad variable at once. Values are never echoed: they may be secrets.
import { z } from 'zod';
import { formatIssuePath } from './validate';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const loadConfig = <S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> => {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = formatIssuePath(issue.path) || '(environment)';
    const top = issue.path[0];
    const missing = typeof top === 'string' && issue.path.length === 1 && env[top] === undefined;
    // zod's messages state expectations and types, not input values (reportInput is off).
    // Rules across variables (custom issues) carry their own hint, e.g. what to set instead.
    if (missing) return issue.code === 'custom' ? `${name} is missing (${issue.message})` : `${name} is missing`;
    return `${name} is invalid (${issue.message})`;
  });
  throw new ConfigError(problems);
};
