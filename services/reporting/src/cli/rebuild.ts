// npm run rebuild -w @wor/reporting-service [-- --batch-size 5000]
// Rebuilds every read model from reporting's own log, with a progress bar (plain lines when not on a
// terminal) and the rate on stderr.
import { createProgress } from '@wor/service-kit';
import { rebuildReadModels } from '../rebuild/rebuild';
import { migrateReporting } from '../migrations';
import { flags, reportingPool, reportingSchemaName } from './database';

const main = async (): Promise<void> => {
  const f = flags(process.argv.slice(2));
  const pool = reportingPool(process.env);
  try {
    await migrateReporting(pool, reportingSchemaName(process.env));
    const progress = createProgress({ label: 'rebuild', unit: 'events' });
    const result = await rebuildReadModels(pool, {
      batchSize: f['batch-size'] ? Number(f['batch-size']) : undefined,
      onProgress: (p) => progress.update(p.done, p.total),
    });
    const rate = result.elapsedMs > 0 ? Math.round((result.events / result.elapsedMs) * 1000) : 0;
    progress.finish(
      `rebuilt from ${result.events} events in ${(result.elapsedMs / 1000).toFixed(1)} s (${rate} events/s)`,
    );
  } finally {
    await pool.end();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
