// `npm start`: the whole platform on this machine.
// - No DATABASE_URL: embedded PostgreSQL in .data/pg (kept between runs).
// - No KAFKA_BROKERS: all services in this process with the in-process transport.
// - KAFKA_BROKERS set: every service its own process, talking through Kafka.
// What can stop the start is checked first (start-checks.ts): one paragraph, exit 78 or 69.
/* eslint-disable no-console -- this is the command-line front of the platform */
import './instrumentation';
import { processTracing } from '@wor/service-kit/instrumentation';
import { relative } from 'node:path';
import { DEMO } from './demo-data';
import { createDemoClock, loadDemo } from './demo';
import { EMBEDDED_MAJOR, placeEmbedded, startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';
import { startInProcess, type RunningPlatform } from './in-process';
import { startProcesses } from './processes';
import { loadOrCreateSecrets } from './secrets';
import { SERVICES } from './services';
import { LauncherSettings } from './settings';
import {
  checkDatabaseUrl,
  checkEmbeddedVersion,
  checkKafka,
  checkPortsFree,
  EX_CONFIG,
  StartError,
  type PortUse,
} from './start-checks';
import { startWebApp, type RunningWebApp } from './web';

const EX_SOFTWARE = 70;

/** Reads the settings; a wrong value is a configuration error like any other. */
const readSettings = (): LauncherSettings => {
  const parsed = LauncherSettings.safeParse(process.env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new StartError(EX_CONFIG, `The launcher's settings are wrong (${problems}). See docs/configuration.md.`);
};

const main = async () => {
  const log = (line: string) => console.log(line);
  let database: EmbeddedDatabase | undefined;
  let platform: RunningPlatform | undefined;
  let web: RunningWebApp | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (platform || database) log('\nStopping ...');
    await web?.stop().catch((e: unknown) => console.error(e));
    await platform?.stop().catch((e: unknown) => console.error(e));
    await database?.stop().catch((e: unknown) => console.error(e));
    await processTracing()
      ?.shutdown()
      .catch(() => undefined);
    if (platform || database) log('Stopped.');
    process.exit(code);
  };
  const fail = (error: unknown) => {
    if (error instanceof StartError) console.error(`\nCannot start: ${error.message}\n`);
    else {
      console.error(`\nStart failed unexpectedly: ${(error as Error)?.message ?? String(error)}`);
      if (process.env.WOR_DEBUG) console.error(error);
      else console.error('(Set WOR_DEBUG=1 to see where.)\n');
    }
    void shutdown(error instanceof StartError ? error.exitCode : EX_SOFTWARE);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // A child process that cannot be spawned (e.g. EACCES) surfaces here rather than as a rejection.
  process.on('uncaughtException', fail);

  let settings: LauncherSettings;
  try {
    settings = readSettings();
    const kafkaBrokers = process.env.KAFKA_BROKERS;
    if (process.env.DATABASE_URL) await checkDatabaseUrl(process.env.DATABASE_URL);
    else checkEmbeddedVersion(placeEmbedded(settings.WOR_DATA_DIR).databaseDir, EMBEDDED_MAJOR);
    if (kafkaBrokers) await checkKafka(kafkaBrokers);
    const ports: PortUse[] = [
      ...(process.env.DATABASE_URL
        ? []
        : [{ port: settings.WOR_EMBEDDED_PG_PORT, what: 'the embedded PostgreSQL', setting: 'WOR_EMBEDDED_PG_PORT' }]),
      ...SERVICES.map((s) => ({ port: s.port, what: `the ${s.name} service` })),
      { port: settings.WOR_WEB_PORT, what: 'the web application', setting: 'WOR_WEB_PORT' },
    ];
    await checkPortsFree(ports);

    const secrets = loadOrCreateSecrets(`${settings.WOR_DATA_DIR}/secrets.json`);
    // One development issuer for every service, the demo data and `npm run token` (see secrets.ts).
    process.env.WOR_DEV_ISSUER_KEY ||= secrets.WOR_DEV_ISSUER_KEY;
    const databaseUrl =
      process.env.DATABASE_URL ??
      (database = await startEmbeddedDatabase(settings.WOR_DATA_DIR, settings.WOR_EMBEDDED_PG_PORT, log)).url;
    const dir = database?.databaseDir ?? '';
    const shown = dir.startsWith(process.cwd()) ? relative(process.cwd(), dir) : dir;
    log(
      `Database: ${database ? `embedded PostgreSQL on 127.0.0.1:${settings.WOR_EMBEDDED_PG_PORT} (data in ${shown})` : 'DATABASE_URL'}; ` +
        `transport: ${kafkaBrokers ? `Kafka at ${kafkaBrokers}, one process per service` : 'in-process'}`,
    );
    const clock = kafkaBrokers ? undefined : createDemoClock();
    platform = kafkaBrokers
      ? await startProcesses({ databaseUrl, kafkaBrokers, secrets })
      : await startInProcess({ databaseUrl, secrets, now: clock?.now });
    // The demo's hundreds of requests would bury its progress bar: only warnings while it loads.
    const level = process.env.LOG_LEVEL ?? 'info';
    if (['trace', 'debug', 'info'].includes(level)) platform.setLogLevel?.('warn');
    await loadDemo(settings.WOR_DEMO, platform.urls, clock, log);
    platform.setLogLevel?.(level);
    web = await startWebApp(platform.urls, settings.WOR_WEB_PORT);
  } catch (error) {
    fail(error);
    return;
  }

  log('\nWoR platform is running:');
  for (const [name, url] of Object.entries(platform.urls)) log(`  ${name.padEnd(11)} ${url}`);
  log(
    `\nWeb application: ${web?.url ?? ''}  (Dutch; sign in as a demo user: coach, coordinator, privacy officer, key-user, municipality, GP system)`,
  );
  log(
    `\nDemo data (WOR_DEMO=${settings.WOR_DEMO}): municipality ${DEMO.municipality.code} (${DEMO.municipality.name}), ` +
      `welfare organisation ${DEMO.welfareOrganisation.id}; who is who: docs/demo.md.`,
  );
  log('Try it:');
  log(`  TOKEN=$(npm run -s token -- --role reporting-consumer --municipality ${DEMO.municipality.code})`);
  log(
    `  curl -H "Authorization: Bearer $TOKEN" "${platform.urls.reporting}/dashboards/thermometer?municipality=${DEMO.municipality.code}&period=${new Date().getFullYear()}"`,
  );
  log('Press Ctrl-C to stop.');
};

void main();
