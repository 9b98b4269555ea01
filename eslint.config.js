// One lint config for every workspace; type checking itself is `tsc --noEmit`.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// Layering: services share only `@wor/contracts` (and the platform packages) with each other. A service
// never imports another service, and a package imports no service at all, except the launcher (it runs
// them) and the test-only packages named here (they test them together).
const SERVICES = ['referral', 'consent', 'social-map', 'reporting'];
const MAY_IMPORT_SERVICES = ['launcher', 'security-tests', 'reliability'];

const servicePatterns = (services) =>
  services.flatMap((name) => [
    {
      group: [`@wor/${name}-service`, `@wor/${name}-service/*`],
      message: `Do not import the ${name} service: share facts through @wor/contracts events.`,
    },
    {
      group: [`**/services/${name}/**`, `**/${name}/src`, `**/${name}/src/**`, `**/${name}/dist/**`],
      message: `Do not reach into the ${name} service's files.`,
    },
  ]);

const boundaries = [
  ...SERVICES.map((name) => ({
    files: [`services/${name}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: servicePatterns(SERVICES.filter((other) => other !== name)) }],
    },
  })),
  {
    // The event store's core stays free of any database: the adapters build on it.
    files: ['packages/event-store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...servicePatterns(SERVICES),
            { group: ['pg', '@eventstore/*', '@wor/event-store-*'], message: 'The core has no database.' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/**/*.ts'],
    ignores: [...MAY_IMPORT_SERVICES, 'event-store'].map((name) => `packages/${name}/**`),
    rules: { 'no-restricted-imports': ['error', { patterns: servicePatterns(SERVICES) }] },
  },
];

module.exports = tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.test.ts', '**/testing/**'],
    rules: { 'no-console': 'off' },
  },
  ...boundaries,
);

module.exports.boundaries = { SERVICES, MAY_IMPORT_SERVICES };
