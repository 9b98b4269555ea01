// Dependencies declared as used (issue 14): every package a workspace's source imports is declared in its
// package.json (production code in `dependencies`, tests also in `devDependencies`), and every declared
// runtime dependency is imported somewhere, so a workspace's manifest says what it really needs.
// Tests may also use the root's shared test tooling.
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
type Manifest = {
  name: string;
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

// The shared test tooling (jest, supertest, fast-check, eslint…) is declared once, at the root.
const rootDev = new Set(
  Object.keys((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest).devDependencies ?? {}),
);

const workspaces = ['packages', 'services'].flatMap((dir) =>
  readdirSync(path.join(root, dir))
    .map((name) => path.join(root, dir, name))
    .filter((ws) => existsSync(path.join(ws, 'package.json')) && existsSync(path.join(ws, 'src'))),
);

const sourcesOf = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourcesOf(file);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts') ? [file] : [];
  });

// Static imports and re-exports at the start of a line (not code inside a string), side-effect imports,
// dynamic import(), require() and require.resolve().
const IMPORT =
  /(?:^\s*(?:import|export)\b[^'"`;]*?\bfrom\s+|^\s*import\s+|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*|\)\.resolve\(\s*)['"]([^'"]+)['"]/gm;
const builtins = new Set(builtinModules);
const packageOf = (specifier: string): string | undefined => {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtins.has(name) ? undefined : name;
};
const isTestOnly = (file: string) => /\.test\.tsx?$/.test(file) || /[/\\](testing|test)[/\\]/.test(file);

/** Runtime dependencies that are used without an import: loaded by name, or tools run as programs. */
const USED_WITHOUT_IMPORT: Record<string, string> = {};
/** Imports left undeclared on purpose, with the reason. */
const UNDECLARED: Record<string, string> = {
  'packages/messaging/src/redrive-cli.ts @wor/service-kit':
    'service-kit depends on messaging; the CLI loads its progress display at run time, after both are built',
};

const imports = (ws: string) => {
  const found: { file: string; pkg: string; typeOnly: boolean }[] = [];
  for (const file of sourcesOf(path.join(ws, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const pkg = packageOf(match[1]!);
      const line = text.slice(text.lastIndexOf('\n', match.index) + 1, match.index + match[0].length);
      if (pkg)
        found.push({ file: path.relative(root, file), pkg, typeOnly: /^\s*(import|export)\s+type\b/.test(line) });
    }
  }
  return found;
};

describe.each(workspaces.map((ws) => [path.relative(root, ws), ws]))('%s', (_name, ws) => {
  const manifest = JSON.parse(readFileSync(path.join(ws, 'package.json'), 'utf8')) as Manifest;
  const deps = new Set(Object.keys(manifest.dependencies ?? {}));
  const dev = new Set(Object.keys(manifest.devDependencies ?? {}));
  const declared = (pkg: string, set: Set<string>) =>
    set.has(pkg) || set.has(`@types/${pkg.replace(/^@(.*)\//, '$1__')}`);
  const found = imports(ws);
  // A package without an entry point (the cross-service security tests) is test code throughout.
  const testPackage = !('main' in manifest);

  it('declares every package its source imports', () => {
    const undeclared = found
      .filter(({ file, pkg }) => pkg !== manifest.name && !(`${file} ${pkg}` in UNDECLARED))
      .filter(({ file, pkg, typeOnly }) =>
        testPackage || isTestOnly(file) || typeOnly
          ? !declared(pkg, deps) &&
            !declared(pkg, dev) &&
            !((testPackage || isTestOnly(file)) && declared(pkg, rootDev))
          : !declared(pkg, deps),
      )
      .map(({ file, pkg }) => `${pkg} (${file})`);
    expect([...new Set(undeclared)]).toEqual([]);
  });

  it('imports every runtime dependency it declares', () => {
    const used = new Set(found.map(({ pkg }) => pkg));
    const unused = [...deps].filter(
      (pkg) => !pkg.startsWith('@types/') && !used.has(pkg) && !(pkg in USED_WITHOUT_IMPORT),
    );
    expect(unused).toEqual([]);
  });
});
