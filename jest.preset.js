// Shared jest setup: SWC transpiles TypeScript (type checking is `tsc --noEmit`, run by turbo),
// workspace packages resolve to their sources so tests never run against stale builds.
const path = require('node:path');

const packages = [
  'contracts',
  'event-store',
  'event-store-postgres',
  'event-store-eventstoredb',
  'messaging',
  'service-kit',
  'privacy',
  'test-support',
];

module.exports = (dir) => ({
  rootDir: dir,
  displayName: require(path.join(dir, 'package.json')).name,
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: Object.fromEntries(
    packages.map((p) => [`^@wor/${p}$`, path.join(__dirname, 'packages', p, 'src', 'index.ts')]),
  ),
  reporters: ['default', path.join(__dirname, 'scripts', 'jest-count-reporter.js')],
  setupFiles: [path.join(__dirname, 'scripts', 'jest-setup.js')],
  testTimeout: 60_000,
});
