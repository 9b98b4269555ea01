// `npm start`: the whole platform on this machine.
// - No DATABASE_URL: embedded PostgreSQL in .data/pg (kept between runs).
// - No KAFKA_BROKERS: all services in this process with the in-process transport.
// - KAFKA_BROKERS set: every service its own process, talking through Kafka.
/* eslint-disable no-console -- this is the command-line front of the platform */
import './instrumentation';
import { processTracing } from '@wor/service-kit/instrumentation';
import { join } from 'node:path';
import { DEMO } from './demo-data';
import { createDemoClock, loadDemo } from './demo';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';
import { startInProcess, type RunningPlatform } from './in-process';
import { startProcesses } from './processes';
import { loadOrCreateSecrets } from './secrets';
import { LauncherSettings } from './settings';
import { startWebApp, type RunningWebApp } from './web';

const DATA_DIR = join(__dirname, '..', '..', '..', '.data');
const EMBEDDED_PG_PORT = Number(process.env.WOR_EMBEDDED_PG_PORT ?? 54329);

const main = async () => {
  const log = (line: string) => console.log(line);
  const settings = LauncherSettings.parse(process.env);
  const secrets = loadOrCreateSecrets(join(DATA_DIR, 'secrets.json'));
  // One development issuer for every service, the demo data and `npm run token` (see secrets.ts).
  process.env.WOR_DEV_ISSUER_KEY ||= secrets.WOR_DEV_ISSUER_KEY;
  let database: EmbeddedDatabase | undefined;
  let platform: RunningPlatform | undefined;
  let web: RunningWebApp | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('\nStopping ...');
    await web?.stop().catch((e: unknown) => console.error(e));
    await platform?.stop().catch((e: unknown) => console.error(e));
    await database?.stop().catch((e: unknown) => console.error(e));
    await processTracing()
      ?.shutdown()
      .catch(() => undefined);
    log('Stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const databaseUrl =
      process.env.DATABASE_URL ?? (database = await startEmbeddedDatabase(DATA_DIR, EMBEDDED_PG_PORT, log)).url;
    const kafkaBrokers = process.env.KAFKA_BROKERS;
    log(
      `Database: ${database ? `embedded PostgreSQL on 127.0.0.1:${EMBEDDED_PG_PORT} (data in .data/pg)` : 'DATABASE_URL'}; ` +
        `transport: ${kafkaBrokers ? `Kafka at ${kafkaBrokers}, one process per service` : 'in-process'}`,
    );
    const clock = kafkaBrokers ? undefined : createDemoClock();
    platform = kafkaBrokers
      ? await startProcesses({ databaseUrl, kafkaBrokers, secrets })
      : await startInProcess({ databaseUrl, secrets, now: clock?.now });
    await loadDemo(settings.WOR_DEMO, platform.urls, clock, log);
    web = await startWebApp(platform.urls);
  } catch (error) {
    console.error(`Start failed: ${(error as Error).message}`);
    await shutdown(1);
    return;
  }

  log('\nWoR platform is running:');
  for (const [name, url] of Object.entries(platform.urls)) log(`  ${name.padEnd(11)} ${url}`);
  log(
    `\nWeb application: ${web?.url ?? ''}  (Dutch; sign in as a demo user: coach, coordinator, privacy officer, key-user, municipality, GP system)`,
  );
  log(
    `\nDemo: municipality ${DEMO.municipality.code} (${DEMO.municipality.name}, wijk '${DEMO.municipality.district}'),`,
  );
  log(
    `      practice ${DEMO.practice.id}, welfare organisation ${DEMO.welfareOrganisation.id} (coaches ${DEMO.welfareOrganisation.coaches.join(', ')}).`,
  );
  log('Try it:');
  log(`  TOKEN=$(npm run -s token -- --role reporting-consumer --municipality ${DEMO.municipality.code})`);
  log(
    `  curl -H "Authorization: Bearer $TOKEN" "${platform.urls.reporting}/dashboards/thermometer?municipality=${DEMO.municipality.code}&period=${new Date().getFullYear()}"`,
  );
  log('Press Ctrl-C to stop.');
};

void main();
