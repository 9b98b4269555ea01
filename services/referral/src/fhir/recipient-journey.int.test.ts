// Issue 15, "done when": a welfare system completes the Gravity Light recipient journey by FHIR alone, with a
// stock FHIR client in its default mode: HAPI FHIR's generic client (infra/fhir/src/wor/RecipientJourney.java)
// against the service on a real port. It reads /fhir/metadata, polls, accepts, starts, posts a Procedure and
// completes with output → Procedure; the answers it got are validated by HAPI's validator too.
import { spawnSync, execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { fhirCanonicalBase } from '@wor/service-kit';
import { bsnSequence, hapiValidationErrors } from '@wor/test-support';
import {
  coordinator,
  gp,
  otherCoordinator,
  startReferralService,
  type ReferralServiceUnderTest,
} from '../testing/harness';
import { referByTwoCalls, serviceRequestFor } from './testing/fixtures';

const FHIR_SH = resolve(__dirname, '../../../../infra/fhir/fhir.sh');
const hasJava = !spawnSync('java', ['-version']).error;
if (!hasJava)
  console.warn('recipient-journey.int: skipped, java is not on PATH (the HAPI client needs a Java 17 runtime)');
const describeWithJava = hasJava ? describe : describe.skip;
const bsn = bsnSequence(500_000_000);

describeWithJava(
  'the Gravity Light recipient journey with HAPI FHIR’s generic client (real PostgreSQL, real port)',
  () => {
    let svc: ReferralServiceUnderTest;
    beforeAll(async () => {
      svc = await startReferralService({
        env: { ...process.env, FHIR_BASE_URL: 'https://fhir.test.example/wor/fhir' },
      });
      await svc.agreement();
    });
    afterAll(() => svc.stop());

    it('polls, accepts, starts, records a Procedure and completes the Task with it, by FHIR alone', async () => {
      const patient = bsn();
      const { id } = await referByTwoCalls(svc, gp, serviceRequestFor(patient, await svc.consentFor(patient)));

      const run = await promisify(execFile)(
        FHIR_SH,
        [
          'run',
          'wor.RecipientJourney',
          `${svc.url}/fhir`,
          await svc.tokenFor(coordinator),
          coordinator.org!,
          fhirCanonicalBase(),
          id,
        ],
        { maxBuffer: 4 * 1024 * 1024 },
      ).catch((error: { stdout?: string; stderr?: string; code?: number }) => {
        throw new Error(
          `RecipientJourney failed (exit ${error.code}):\n${error.stdout}\n${error.stderr?.slice(-4000)}`,
        );
      });
      const steps = run.stdout.trim().split('\n');
      expect(steps.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
        'ok search',
        'ok read',
        'ok accept',
        'ok start',
        'ok procedure',
        'ok complete',
        'ok read-back',
        // Every answer the stock client received validated against base R4 (HAPI, offline).
        'ok validate',
      ]);
      const procedureId = /Procedure\/(\S+)/.exec(steps[4]!)![1]!;
      expect(Number(/^ok validate (\d+) answers valid/.exec(steps[7]!)?.[1])).toBeGreaterThanOrEqual(7);

      // What the client did is what the service holds: the Task completed with the Procedure as output.
      const task = await svc.http(gp, 'GET', `/fhir/Task/${id}`);
      expect(task.body.status).toBe('completed');
      expect(task.body.output).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ valueReference: { reference: `Procedure/${procedureId}` } }),
        ]),
      );
      const procedure = await svc.http(coordinator, 'GET', `/fhir/Procedure/${procedureId}`);
      expect(procedure.body).toMatchObject({ status: 'completed', basedOn: [{ reference: `ServiceRequest/${id}` }] });
      // The client read the CapabilityStatement first (HAPI's default server validation).
      const requests = svc.logLines.map(
        (line) => JSON.parse(line) as { msg?: string; route?: string; status?: number },
      );
      expect(requests.filter((r) => r.msg === 'request' && r.route === '/fhir/metadata')).toEqual([
        expect.objectContaining({ method: 'GET', status: 200 }),
      ]);

      expect(
        await hapiValidationErrors({
          'journey-procedure-read': procedure.body,
          'journey-procedure-search': (await svc.http(gp, 'GET', `/fhir/Procedure?based-on=ServiceRequest/${id}`)).body,
          'journey-task-completed': task.body,
        }),
      ).toEqual([]);
    }, 240_000);

    it('fails, naming the step, when the journey cannot be made (another organisation finds no Task)', async () => {
      const patient = bsn();
      const { sr } = await referByTwoCalls(svc, gp, serviceRequestFor(patient, await svc.consentFor(patient)));
      const failed = await promisify(execFile)(FHIR_SH, [
        'run',
        'wor.RecipientJourney',
        `${svc.url}/fhir`,
        await svc.tokenFor(otherCoordinator),
        otherCoordinator.org!,
        fhirCanonicalBase(),
        sr.body.id as string,
      ]).then(
        () => undefined,
        (error: { stdout: string; code: number }) => error,
      );
      expect(failed).toMatchObject({ code: 1, stdout: expect.stringMatching(/^FAIL search /m) });
      expect((await svc.http(gp, 'GET', `/fhir/Task/${sr.body.id}`)).body.status).toBe('requested');
    }, 120_000);
  },
);
