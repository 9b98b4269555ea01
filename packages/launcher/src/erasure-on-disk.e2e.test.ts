// AVG art. 17 against the files: after an erasure and its follow-up, nothing in the PostgreSQL data
// directory (heap, indexes, WAL), the keyrings or secrets.json — tried with every key the platform
// holds or the files reveal — opens the erased person's data, and none of it is there in clear.
// Embedded (`npm start`'s way: embedded PostgreSQL, .data/secrets.json) and with a real server and
// one process per service (WOR_MASTER_KEY in the environment).
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, freePort, kafkaBrokers, uniqueName } from '@wor/test-support';
import { Client } from 'pg';
import type { EmbeddedDatabase } from './embedded-database';
import { startInProcess, type RunningPlatform } from './in-process';
import { startProcesses } from './processes';
import { loadOrCreateSecrets } from './secrets';
import { SERVICES } from './services';
import { scanForErasedPerson, type ScanResult } from './testing/disk-scan';
import { startEmbeddedDatabaseProcess } from './testing/embedded-database-process';
import { eraseAPerson, type ErasedJourney } from './testing/erasure-on-disk';
import { dropSchemas } from './testing/thin-slice';

jest.setTimeout(240_000);

const expectNothingRecoverable = (journey: ErasedJourney, scan: ScanResult) => {
  console.log(
    `erasure scan: ${scan.files} files, ${(scan.bytes / 1e6).toFixed(1)} MB (${scan.walFiles} WAL segments), ` +
      `${scan.candidates} wrapped-key candidates, ${scan.keys} keys, ${scan.ms} ms`,
  );
  expect(scan.walFiles).toBeGreaterThan(0);
  // Not vacuous: the same scan opens the data of the person who was not erased.
  expect(scan.controlRecovered).toBe(true);
  expect(scan.plaintextFound).toEqual([]);
  expect(scan.recovered).toEqual([]);
  expect(journey.followUp).toEqual({ consent: 'done', referral: 'done' });
};

describe('erasure holds against the files: embedded PostgreSQL and .data/secrets.json', () => {
  const root = mkdtempSync(join(tmpdir(), 'wor-erasure-'));
  const dataDir = join(root, '.data');
  let database: EmbeddedDatabase | undefined;
  let platform: RunningPlatform | undefined;
  afterAll(async () => {
    await platform?.stop();
    await database?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('erases a person: the data directory, its WAL, the keyrings and secrets.json open none of their data', async () => {
    chmodSync(root, 0o755); // embedded PostgreSQL runs as its own user under root
    const secrets = loadOrCreateSecrets(join(dataDir, 'secrets.json'), {});
    database = await startEmbeddedDatabaseProcess(dataDir, await freePort());
    platform = await startInProcess({
      databaseUrl: database.url,
      secrets,
      ports: { referral: 0, consent: 0, 'social-map': 0, reporting: 0 },
    });
    const journey = await eraseAPerson(platform.urls, database.url, { referral: 'referral', consent: 'consent' });
    const scan = scanForErasedPerson({
      roots: [dataDir], // .data/pg, .data/keyring, .data/secrets.json
      databaseRoots: [join(dataDir, 'pg')],
      target: journey.target,
      control: journey.control,
      masterKeys: [],
    });
    expectNothingRecoverable(journey, scan);
  });
});

describe('erasure holds against the files: a real PostgreSQL server, one process per service', () => {
  const keyringDir = mkdtempSync(join(tmpdir(), 'wor-erasure-keyring-'));
  const prefix = `${uniqueName('eod')}_`;
  let url: string;
  let platform: RunningPlatform | undefined;
  afterAll(async () => {
    await platform?.stop();
    if (url)
      await dropSchemas(
        url,
        SERVICES.map((s) => prefix + s.schema),
      );
    rmSync(keyringDir, { recursive: true, force: true });
  });

  it('erases a person: the server data directory, its WAL and the keyrings open none of their data', async () => {
    url = await databaseUrl();
    const admin = new Client({ connectionString: url });
    await admin.connect();
    const dataDirectory = (await admin.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!
      .data_directory;
    await admin.end();
    // The test reads the server's files, so it runs where the server does (CI: 127.0.0.1, as root).
    // Only a testcontainers database (no DATABASE_URL) keeps them out of reach: then it says so and stops.
    try {
      accessSync(join(dataDirectory, 'pg_wal'), constants.R_OK);
    } catch (error) {
      if (process.env.DATABASE_URL)
        throw new Error(
          `The server's data directory ${dataDirectory} is not readable here: run this test on the server's machine, as a user who can read it (${(error as Error).message})`,
        );
      console.warn(`erasure-on-disk: ${dataDirectory} is inside a container; the real-server scan did not run`);
      return;
    }
    const masterKey = randomBytes(32);
    platform = await startProcesses({
      databaseUrl: url,
      kafkaBrokers: (await kafkaBrokers()).join(','),
      secrets: {
        WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
        WOR_MASTER_KEY: masterKey.toString('base64'),
        WOR_KEYRING_DIR: keyringDir,
      },
      prefix,
      ports: {
        referral: await freePort(),
        consent: await freePort(),
        'social-map': await freePort(),
        reporting: await freePort(),
      },
      output: () => undefined,
    });
    const journey = await eraseAPerson(platform.urls, url, {
      referral: `${prefix}referral`,
      consent: `${prefix}consent`,
    });
    const scan = scanForErasedPerson({
      roots: [dataDirectory, keyringDir],
      databaseRoots: [dataDirectory],
      target: journey.target,
      control: journey.control,
      masterKeys: [masterKey],
    });
    expectNothingRecoverable(journey, scan);
  });
});
