// docs/configuration.md's table of variables is tested against the schemas that validate them: the
// process configuration of service-kit, every service's own settings and the launcher's.
import { processVariableNames } from '@wor/service-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from './services';
import { LauncherSettings } from './settings';

const documented = (): string[] => {
  const page = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
  const rows = page.split('\n').filter((line) => /^\| `/.test(line));
  // The first cell names one or more variables: | `OIDC_ISSUER`, `OIDC_AUDIENCE` | meaning |
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
};

const declared = (): string[] => [
  ...processVariableNames(),
  ...SERVICES.flatMap((service) => Object.keys(service.factory.settings.shape)),
  ...Object.keys(LauncherSettings.shape),
];

describe('docs/configuration.md', () => {
  it('documents every variable a schema declares', () => {
    const missing = declared().filter((name) => !documented().includes(name));
    expect(missing).toEqual([]);
  });

  it('names no variable that no schema declares', () => {
    const unknown = documented().filter((name) => !declared().includes(name));
    expect(unknown).toEqual([]);
  });
});
