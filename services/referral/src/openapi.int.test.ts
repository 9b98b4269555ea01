// The referral service's OpenAPI document as served: lint-clean, and every mounted route documented.
import { registeredRoutes } from '@wor/service-kit';
import { checkOpenApiConformance } from '@wor/test-support';
import { referralOpenApi } from './openapi';
import { STEPS } from './referral/steps';
import { startReferralService, type ReferralServiceUnderTest } from './testing/harness';

let svc: ReferralServiceUnderTest;
beforeAll(async () => {
  svc = await startReferralService();
});
afterAll(async () => {
  await svc.stop();
});

it('serves a lint-clean document of every mounted route, and its reference page', async () => {
  await checkOpenApiConformance({
    document: referralOpenApi,
    mounted: registeredRoutes(svc.app).map((r) => `${r.method} ${r.path}`),
    get: async (path) => {
      const r = await svc.http(undefined, 'GET', path);
      return { status: r.status, contentType: r.contentType, text: r.text };
    },
  });
});

it('documents every lifecycle step with If-Match and its request body', () => {
  for (const step of STEPS) {
    const op = referralOpenApi.paths[`/referrals/{referralId}/${step.path}`]?.post as
      { parameters: { name: string }[]; requestBody: object } | undefined;
    expect(op?.parameters.map((p) => p.name)).toEqual(['referralId', 'If-Match', 'Idempotency-Key']);
    expect(op?.requestBody).toBeDefined();
  }
});

it('says that the server refuses duplicate reasons', () => {
  const body = referralOpenApi.paths['/referrals']!.post!.requestBody as {
    content: { 'application/json': { schema: { properties: { reasons: { uniqueItems?: boolean } } } } };
  };
  expect(body.content['application/json'].schema.properties.reasons.uniqueItems).toBe(true);
});
