// The reporting schema of DATABASE_URL (DB_SCHEMA, default `reporting`), for the command-line tools;
// their entry points pass the environment in.
import { Pool } from 'pg';

type Env = Record<string, string | undefined>;

export const reportingSchemaName = (env: Env): string => {
  const schema = env.DB_SCHEMA ?? 'reporting';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('DB_SCHEMA must be a plain lowercase identifier');
  return schema;
};

export const reportingPool = (env: Env): Pool => {
  const url = env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  return new Pool({ connectionString: url, options: `-c search_path=${reportingSchemaName(env)}`, max: 2 });
};

/** `--name value` pairs of argv. */
export const flags = (argv: readonly string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        out[arg.slice(2)] = next;
        i++;
      } else out[arg.slice(2)] = 'true';
    }
  }
  return out;
};
