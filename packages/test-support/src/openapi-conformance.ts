// The checks every service's OpenAPI document must pass, run by each service's openapi.int.test.ts
// against the running service: served without a token as built, lint-clean under Redocly's
// recommended rules, every mounted route documented and nothing documented that is not mounted,
// and the reference page served from this process (no CDN). Warnings count too: the only one allowed
// is Redocly's operation-4xx-response on the kit's public routes, which have no 4xx answer.
import { lintOpenApi, type LintProblem } from './openapi-lint';

type Get = (path: string) => Promise<{ status: number; contentType: string; text: string }>;

export type OpenApiConformance = Readonly<{
  document: { paths: Record<string, Record<string, unknown>> };
  /** `METHOD /express/:path` of every route the service's app mounts. */
  mounted: readonly string[];
  /** GET without a token. */
  get: Get;
}>;

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export const documentedOperations = (document: OpenApiConformance['document']): string[] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => METHODS.has(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );

export const checkOpenApiConformance = async ({ document, mounted, get }: OpenApiConformance) => {
  const served = await get('/openapi.json');
  expect(served.status).toBe(200);
  expect(JSON.parse(served.text)).toEqual(JSON.parse(JSON.stringify(document)));

  const problems = await lintOpenApi(document);
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  // The one warning allowed: the public probes and documents have no 4xx answer to describe.
  const publicPaths = Object.entries(document.paths)
    .filter(([, item]) => Object.values(item).some((op) => Array.isArray((op as { security?: unknown }).security)))
    .map(([path]) => `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/`);
  const allowed = (p: LintProblem) =>
    p.ruleId === 'operation-4xx-response' && publicPaths.some((prefix) => p.pointer.startsWith(prefix));
  expect(problems.filter((p) => !allowed(p))).toEqual([]);

  const routes = [...new Set(mounted.map((r) => r.replace(/:(\w+)/g, '{$1}')))];
  expect(routes.sort()).toEqual(documentedOperations(document).sort());

  const page = await get('/docs');
  expect(page.status).toBe(200);
  expect(page.contentType).toContain('text/html');
  expect(page.text).not.toMatch(/https?:\/\//);
  const bundle = await get('/docs/redoc.standalone.js');
  expect(bundle.status).toBe(200);
  expect(bundle.text.length).toBeGreaterThan(100_000);
};
