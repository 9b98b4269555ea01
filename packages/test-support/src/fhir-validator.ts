// HAPI FHIR's FhirInstanceValidator (infra/fhir, base R4 offline) over FHIR answers a test collected:
// a validator nobody here wrote. One JVM run for the lot (about 25 s).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const FHIR_SH = resolve(__dirname, '../../../infra/fhir/fhir.sh');

/** Allowed: the SDOHCC profiles in meta.profile, which cannot be loaded without a package server. */
const profileNotLoadable = (line: string) =>
  /sdoh-clinicalcare/.test(line) && /could not be found|Failed to retrieve profile/.test(line);

/**
 * Validates each named resource and returns HAPI's errors as `name.json<TAB>error<TAB>location<TAB>message`
 * lines, less the unloadable SDOHCC profiles. Also validates a broken control Task and throws unless HAPI
 * refused it, so an empty answer means the validator looked.
 */
export const hapiValidationErrors = async (answers: Record<string, unknown>): Promise<string[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'wor-fhir-'));
  try {
    const all = { ...answers, 'control-broken-task': { resourceType: 'Task', status: 'nonsense' } };
    const files = Object.entries(all).map(([name, body]) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(body));
      return file;
    });
    const { stdout } = await promisify(execFile)(FHIR_SH, ['run', 'wor.Validate', ...files], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const errors = stdout
      .split('\n')
      .filter((line) => line.split('\t')[1] === 'error' && !profileNotLoadable(line))
      .map((line) => line.slice(dir.length + 1));
    if (!errors.some((line) => line.startsWith('control-broken-task.json')))
      throw new Error('HAPI did not refuse the broken control Task: the validator did not run');
    return errors.filter((line) => !line.startsWith('control-broken-task.json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
