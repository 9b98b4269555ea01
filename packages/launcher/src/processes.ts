// The distributed setup on one machine: every service its own process, on real PostgreSQL and Kafka.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devIssuerKey } from '@wor/service-kit';
import type { PlatformOptions, RunningPlatform } from './in-process';
import { SERVICES, type ServiceName, type ServiceUrls } from './services';

const REPO_ROOT = join(__dirname, '..', '..', '..');

export type ProcessPlatformOptions = PlatformOptions &
  Readonly<{
    kafkaBrokers: string;
    /** Where each child's output goes; defaults to this process's stdout/stderr. */
    output?: (service: ServiceName, chunk: string) => void;
    readyTimeoutMs?: number;
    /** Extra environment for every service process. */
    env?: Record<string, string>;
  }>;

const waitUntilReady = async (url: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with code ${child.exitCode}`);
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms`);
};

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });

export const startProcesses = async (options: ProcessPlatformOptions): Promise<RunningPlatform> => {
  const prefix = options.prefix ?? '';
  const host = options.host ?? '127.0.0.1';
  const children = new Map<ServiceName, ChildProcess>();
  const stop = async () => {
    await Promise.all([...children.values()].map(stopChild));
  };
  const urls: Partial<Record<ServiceName, string>> = {};
  // Every service process (and any replica started on the same secrets) shares one keyring directory.
  const keyringDir = options.secrets.WOR_KEYRING_DIR ?? mkdtempSync(join(tmpdir(), 'wor-keyring-'));
  try {
    for (const definition of SERVICES) {
      const port = options.ports?.[definition.name] ?? definition.port;
      const child = spawn(process.execPath, [join(REPO_ROOT, 'services', definition.name, 'dist', 'main.js')], {
        env: {
          ...process.env,
          ...options.secrets,
          WOR_KEYRING_DIR: keyringDir,
          // The children verify tokens of this process's development issuer.
          WOR_DEV_ISSUER_KEY: devIssuerKey(),
          DATABASE_URL: options.databaseUrl,
          KAFKA_BROKERS: options.kafkaBrokers,
          PORT: String(port),
          HOST: host,
          DB_SCHEMA: prefix + definition.schema,
          KAFKA_TOPIC_PREFIX: prefix,
          // The consent service asks the referral service for its part of the art. 15 report.
          WOR_REFERRAL_URL: `http://${host}:${options.ports?.referral ?? SERVICES.find((s) => s.name === 'referral')!.port}`,
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.set(definition.name, child);
      const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) =>
        options.output ? options.output(definition.name, chunk.toString()) : stream.write(chunk);
      child.stdout?.on('data', forward(process.stdout));
      child.stderr?.on('data', forward(process.stderr));
      const url = `http://${host}:${port}`;
      await waitUntilReady(url, child, options.readyTimeoutMs ?? 60_000);
      urls[definition.name] = url;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls: urls as ServiceUrls, stop };
};
