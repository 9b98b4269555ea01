// A second, private Kafka broker for the tests that stop it: the shared one on :9092 serves the other
// test runs and must never be stopped. infra/kafka/kafka.sh with its own KAFKA_STATE_DIR and ports.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@wor/test-support';

const KAFKA_SH = path.join(__dirname, '..', '..', '..', '..', 'infra', 'kafka', 'kafka.sh');
const run = promisify(execFile);

export type SecondBroker = Readonly<{
  brokers: string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  remove: () => Promise<void>;
}>;

export const secondBroker = async (): Promise<SecondBroker> => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'wor-reliability-kafka-'));
  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_STATE_DIR: stateDir,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
  };
  const kafka = async (command: string) => {
    await run('bash', [KAFKA_SH, command], { env, timeout: 150_000 });
  };
  return {
    brokers: `127.0.0.1:${port}`,
    start: () => kafka('start'),
    stop: () => kafka('stop'),
    remove: async () => {
      await kafka('stop').catch(() => undefined);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
};
