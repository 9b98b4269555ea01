// Lints an OpenAPI document with Redocly's recommended rules (@redocly/openapi-core, the engine of
// Redocly CLI). It is an ES module, so it runs in a child node process rather than inside jest.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export type LintProblem = { ruleId: string; severity: 'error' | 'warn'; message: string; pointer: string };

const script = (core: string) => `
import { createConfig, lintFromString } from ${JSON.stringify(core)};
let source = '';
for await (const chunk of process.stdin) source += chunk;
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
process.stdout.write(JSON.stringify(problems.map((p) => ({
  ruleId: p.ruleId,
  severity: p.severity,
  message: p.message,
  pointer: p.location?.[0]?.pointer ?? '',
}))));
`;

/** Every problem Redocly's recommended rules find in the document. */
export const lintOpenApi = (document: object): Promise<LintProblem[]> => {
  const core = pathToFileURL(createRequire(__filename).resolve('@redocly/openapi-core')).href;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script(core)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`redocly lint exited ${code}: ${err}`));
      resolve(JSON.parse(out) as LintProblem[]);
    });
    child.stdin.end(JSON.stringify(document));
  });
};
