#!/usr/bin/env node
// `npm test`: build, type-check, lint and test every workspace through turbo, then print one total
// line, `N passed, N failed[, N skipped]`, from the counts each jest run wrote to .test-results/.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const results = path.join(root, '.test-results');
fs.rmSync(results, { recursive: true, force: true });

// Formatting is checked once for the whole tree (prettier), before the per-workspace tasks.
const format = spawnSync('npx', ['prettier', '--check', '--log-level=warn', '.'], { cwd: root, stdio: 'inherit' });
if (format.status !== 0) console.error('Formatting: run `npm run format` and commit the result.');

const args = [
  'turbo',
  'run',
  'build',
  'typecheck',
  'lint',
  'test',
  '--concurrency=2',
  '--continue',
  '--output-logs=new-only',
  ...process.argv.slice(2),
];
const run = spawnSync('npx', args, {
  cwd: root,
  stdio: 'inherit',
  env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
});

const totals = { passed: 0, failed: 0, skipped: 0 };
if (fs.existsSync(results)) {
  for (const file of fs.readdirSync(results)) {
    const counts = JSON.parse(fs.readFileSync(path.join(results, file), 'utf8'));
    for (const key of Object.keys(totals)) totals[key] += counts[key];
  }
}
// A failing build, type check or lint has no test count of its own: count it as one failure.
// A formatting failure counts as one more.
const exitCode = (run.status ?? 1) || (format.status === 0 ? 0 : 1);
if (run.status !== 0 && totals.failed === 0) totals.failed = 1;
if (format.status !== 0) totals.failed += 1;

console.log(
  `${totals.passed} passed, ${totals.failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''}`,
);
process.exit(exitCode);
