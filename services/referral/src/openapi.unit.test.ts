import { referralOpenApi } from './openapi';
import { STEPS } from './referral/steps';

describe('referral OpenAPI document', () => {
  it('documents every lifecycle step with If-Match and its request body', () => {
    for (const step of STEPS) {
      const op = (
        referralOpenApi.paths as unknown as Record<
          string,
          { post?: { parameters: { name: string }[]; requestBody: object } }
        >
      )[`/referrals/{referralId}/${step.path}`]?.post;
      expect(op?.parameters.map((p) => p.name)).toEqual(['referralId', 'If-Match', 'Idempotency-Key']);
      expect(op?.requestBody).toBeDefined();
    }
  });

  it('describes the submission body from the schema the route validates with', () => {
    const schema = referralOpenApi.paths['/referrals'].post.requestBody.content['application/json'].schema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['consentId', 'patient', 'reasons', 'urgencyNote']),
    );
    expect(schema.required).toEqual(
      expect.arrayContaining(['consentId', 'patient', 'municipality', 'practiceId', 'recipientOrganisationId']),
    );
  });

  it('lists the work-queue filters the route accepts', () => {
    const names = referralOpenApi.paths['/work-queues/organisation'].get.parameters.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['status', 'unassigned', 'overdue', 'sort', 'page', 'size']));
  });

  it('lists the FHIR endpoints', () => {
    expect(Object.keys(referralOpenApi.paths)).toEqual(
      expect.arrayContaining([
        '/fhir',
        '/fhir/ServiceRequest',
        '/fhir/Task',
        '/fhir/Task/{id}',
        '/fhir/Task/{id}/$feedback',
      ]),
    );
  });
});
