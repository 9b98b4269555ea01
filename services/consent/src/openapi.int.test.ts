// The consent service's OpenAPI document as served: lint-clean, and every mounted route documented.
import { mountedRoutes } from '@wor/service-kit';
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
    mounted: mountedRoutes(svc.app),
    get: async (path) => {
      const r = await svc.http(undefined, 'GET', path);
      return { status: r.status, contentType: r.contentType, text: r.text };
    },
  });
});
