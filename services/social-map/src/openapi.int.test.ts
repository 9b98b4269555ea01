// The social-map service's OpenAPI document as served: lint-clean, and every mounted route documented.
import { registeredRoutes } from '@wor/service-kit';
import { checkOpenApiConformance } from '@wor/test-support';
import { socialMapOpenApi } from './openapi';
import { startHarness, type Harness } from './testing/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

it('serves a lint-clean document of every mounted route, and its reference page', async () => {
  await checkOpenApiConformance({
    document: socialMapOpenApi,
    mounted: registeredRoutes(h.service.app).map((r) => `${r.method} ${r.path}`),
    get: async (path) => {
      const r = await h.call(undefined, 'GET', path);
      const contentType = r.headers.get('content-type') ?? '';
      return { status: r.status, contentType, text: typeof r.body === 'string' ? r.body : JSON.stringify(r.body) };
    },
  });
});
