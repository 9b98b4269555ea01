// The Gravity referral-source journey by a stock client: HAPI FHIR's generic client in its default mode
// (infra/fhir/src/wor/SourceJourney.java) against the whole referral service on a real port.
import { execFile, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { bsnSequence } from '@wor/test-support';
import { gp, startReferralService, type ReferralServiceUnderTest } from '../testing/harness';

const FHIR_SH = resolve(__dirname, '../../../../infra/fhir/fhir.sh');
const hasJava = spawnSync('java', ['-version']).status === 0;
const bsn = bsnSequence(190_000_000);

(hasJava ? describe : describe.skip)('the GP referral-source journey with HAPI FHIR’s generic client', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    // No FHIR_BASE_URL: the base (and so every Location) is the service's own address, which the client calls.
    const { FHIR_BASE_URL: _public, ...env } = process.env;
    svc = await startReferralService({ env });
    await svc.agreement();
  });
  afterAll(() => svc.stop());

  it('creates by two calls and by transaction, reads, vreads, searches with _include, cancels, reads back', async () => {
    const patient = bsn();
    const consentId = await svc.consentFor(patient);
    const run = promisify(execFile)(
      FHIR_SH,
      ['run', 'wor.SourceJourney', `${svc.url}/fhir`, await svc.token(gp), patient, consentId],
      { timeout: 150_000 },
    );
    const { stdout } = await run.catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`SourceJourney failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    const steps = stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(steps.map(([outcome, name]) => `${outcome} ${name}`)).toEqual([
      'ok metadata',
      'ok create ServiceRequest',
      'ok create Task',
      'ok create Task again',
      'ok create Task If-None-Exist',
      'ok transaction',
      'ok read Task',
      'ok vread Task',
      'ok vread ServiceRequest',
      'ok search Task?requester:identifier&_include=Task:focus',
      'ok cancel Task (If-Match version 1)',
      'ok read back',
      'ok done',
    ]);
    // What the client did is what the service stored: two creates, then the cancellation.
    const id = /ServiceRequest\/([0-9a-f-]{36})\/_history\/0$/.exec(steps[1]![2]!)![1]!;
    const { rows } = await svc.pool.query<{ type: string }>(
      'SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [`referral-${id}`],
    );
    expect(rows.map((r) => r.type)).toEqual(['ReferralOrdered', 'ReferralRequested', 'ReferralCancelled']);
  }, 180_000);
});
