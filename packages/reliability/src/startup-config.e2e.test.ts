// Configuration is validated at start: a service process with bad settings exits at once with
// EX_CONFIG (78), naming every bad variable in one message and printing no value (they may be secrets).
import path from 'node:path';
import { spawnNode } from './testing/processes';

const REFERRAL_MAIN = path.join(__dirname, '..', '..', '..', 'services', 'referral', 'dist', 'main.js');

it('the referral service refuses to start with bad configuration, naming each variable', async () => {
  const secretValue = 'too-short-secret';
  const child = spawnNode('referral-bad-config', REFERRAL_MAIN, {
    DATABASE_URL: '',
    KAFKA_BROKERS: '',
    WOR_PSEUDONYM_SECRET: secretValue,
    WOR_MASTER_KEY: 'bm90LTMyLWJ5dGVz',
    PORT: 'not-a-port',
  });
  let output = '';
  child.process.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.process.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  expect(await child.exited).toEqual({ code: 78, signal: null });
  for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'WOR_PSEUDONYM_SECRET', 'WOR_MASTER_KEY', 'PORT'])
    expect(output).toContain(name);
  expect(output).not.toContain(secretValue);
  expect(output).not.toContain('bm90LTMyLWJ5dGVz');
});
