// `npm run redrive -- --service referral --group <consumer group> [--id 12 --id 13] [--dry-run]`
// Re-drives a consumer group's dead letters (see redrive.ts) once the cause is fixed. Reads
// DATABASE_URL and KAFKA_BROKERS; the schema is DB_SCHEMA, else --schema, else the service's default.
// Prints one JSON line per letter (ids, positions, reason; never the message value) and a summary;
// the progress of publishing on stderr (a bar on a terminal, plain lines otherwise).
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { createKafkaTransport } from './kafka-transport';
import { redriveDeadLetters } from './redrive';

type ProgressFactory = (options: { label: string; unit: string }) => {
  update: (done: number, total?: number) => void;
  finish: (summary?: string) => void;
};
/** @wor/service-kit's progress display; that package depends on this one, so it is loaded at run time. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
const { createProgress } = require('@wor/service-kit') as { createProgress: ProgressFactory };

const DEFAULT_SCHEMAS: Readonly<Record<string, string>> = {
  referral: 'referral',
  consent: 'consent',
  'social-map': 'social_map',
  reporting: 'reporting',
};

const usage = `usage: npm run redrive -- --service <referral|consent|social-map|reporting> --group <consumer group> [--schema <schema>] [--id <dead letter id>]... [--dry-run]
env: DATABASE_URL, KAFKA_BROKERS (DB_SCHEMA overrides the service's default schema)`;

const fail = (message: string): never => {
  process.stderr.write(`redrive: ${message}\n${usage}\n`);
  process.exit(64); // EX_USAGE
};

const main = async (): Promise<void> => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        service: { type: 'string' },
        group: { type: 'string' },
        schema: { type: 'string' },
        id: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  const group = values.group ?? fail('--group is required');
  const schema =
    values.schema ??
    process.env.DB_SCHEMA ??
    (values.service ? DEFAULT_SCHEMAS[values.service] : undefined) ??
    fail('--service (or --schema) is required and must be a known service');
  const ids = values.id?.map((id) => (/^\d+$/.test(id) ? Number(id) : fail(`--id ${id} is not a number`)));
  const databaseUrl = process.env.DATABASE_URL ?? fail('DATABASE_URL is missing');
  const brokers = process.env.KAFKA_BROKERS ?? fail('KAFKA_BROKERS is missing');

  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const transport = createKafkaTransport({ brokers: brokers.split(',').map((b) => b.trim()), clientId: 'wor-redrive' });
  const progress = createProgress({ label: 'redrive', unit: 'letters' });
  try {
    const result = await redriveDeadLetters({
      pool,
      schema,
      transport,
      consumer: group,
      ids,
      dryRun: values['dry-run'],
      onProgress: progress.update,
    });
    progress.finish();
    for (const letter of result.redriven) process.stdout.write(`${JSON.stringify(letter)}\n`);
    process.stdout.write(
      `${JSON.stringify({ schema, group, dryRun: result.dryRun, redriven: result.dryRun ? 0 : result.redriven.length, pending: result.dryRun ? result.redriven.length : 0 })}\n`,
    );
  } finally {
    await transport.close();
    await pool.end();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`redrive failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
