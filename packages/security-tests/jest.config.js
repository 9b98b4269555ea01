// The services resolve to their sources too (not their builds), so the tests see the policies as written.
const path = require('node:path');

const preset = require('../../jest.preset')(__dirname);
const services = {
  'referral-service': 'referral',
  'consent-service': 'consent',
  'social-map-service': 'social-map',
  'reporting-service': 'reporting',
};

module.exports = {
  ...preset,
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    ...Object.fromEntries(
      Object.entries(services).map(([pkg, dir]) => [
        `^@wor/${pkg}$`,
        path.join(__dirname, '..', '..', 'services', dir, 'src', 'index.ts'),
      ]),
    ),
  },
};
