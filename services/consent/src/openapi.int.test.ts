// The consent service's OpenAPI document as served: lint-clean, and every mounted route documented.
import { registeredRoutes } from '@wor/service-kit';
import { checkOpenApiConformance } from '@wor/test-support';
import { consentOpenApi } from './openapi';
import { startConsentService, type ConsentServiceUnderTest } from './testing/harness';

let svc: ConsentServiceUnderTest;
beforeAll(async () => {
  svc = await startConsentService();
});
afterAll(async () => {
  await svc.stop();
});

it('serves a lint-clean document of every mounted route, and its reference page', async () => {
  await checkOpenApiConformance({
    document: consentOpenApi,
    mounted: registeredRoutes(svc.app).map((r) => `${r.method} ${r.path}`),
    get: async (path) => {
      const r = await svc.http(undefined, 'GET', path);
      return { status: r.status, contentType: r.contentType, text: r.text };
    },
  });
});
