// npm run extract -w @wor/reporting-service -- --municipality GM0001 --period 2026-Q1 [--format csv]
//   [--as-of 1234] [--generated-at 2027-01-15T09:00:00Z] [--out file]
// Writes the GALA/RIVM extract to stdout (or --out). Same flags as GET /extracts/gala.
import { writeFileSync } from 'node:fs';
import { createProgress } from '@wor/service-kit';
import { buildExtract, toCsv, toJson } from '../extracts/extract';
import { INDICATOR_STEPS } from '../monitoring/indicators';
import { ExtractQuery } from '../extracts/api';
import { reportingPool, flags } from './database';

const main = async (): Promise<void> => {
  const f = flags(process.argv.slice(2));
  const parsed = ExtractQuery.safeParse({
    municipality: f.municipality,
    period: f.period,
    format: f.format,
    asOf: f['as-of'],
    generatedAt: f['generated-at'],
  });
  if (!parsed.success) {
    process.stderr.write(`${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  const pool = reportingPool(process.env);
  try {
    // Progress on stderr (a bar on a terminal, plain lines otherwise); the extract itself goes to stdout or --out.
    const progress = createProgress({ label: 'extract', unit: 'queries', total: INDICATOR_STEPS });
    let done = 0;
    const extract = await buildExtract(pool, parsed.data, () => progress.update((done += 1)));
    const text = parsed.data.format === 'csv' ? toCsv(extract) : toJson(extract);
    if (f.out) writeFileSync(f.out, text);
    else process.stdout.write(text);
    progress.finish(
      `extract ${parsed.data.municipality} ${parsed.data.period.id} as of position ${extract.asOf.position}`,
    );
  } finally {
    await pool.end();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
