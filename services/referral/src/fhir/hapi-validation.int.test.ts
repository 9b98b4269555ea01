// Every kind of FHIR answer the referral source and the recipient get, validated by HAPI FHIR's
// FhirInstanceValidator (infra/fhir, base R4 offline): a validator nobody here wrote.
import { bsnSequence, hapiValidationErrors } from '@wor/test-support';
import bundleExample from './examples/transaction-bundle.json';
import { coordinator, gp, otherGp, type ReferralServiceUnderTest } from '../testing/harness';
import { serviceRequestFor, startFhirReferralService } from './testing/fixtures';

const bsn = bsnSequence(300_000_000);

describe('FHIR answers validate against base R4 with HAPI FHIR (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    svc = await startFhirReferralService();
  });
  afterAll(() => svc.stop());

  it('has no errors in the CapabilityStatement, creates, reads, searchsets, transaction responses or OperationOutcomes', async () => {
    const patient = bsn();
    const sr = serviceRequestFor(patient, await svc.consentFor(patient));
    const created = await svc.http(gp, 'POST', '/fhir/ServiceRequest', sr);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const second = bsn();
    const bundle = JSON.parse(JSON.stringify(bundleExample));
    bundle.entry[0].resource = serviceRequestFor(second, await svc.consentFor(second));
    const answers: Record<string, unknown> = {
      metadata: (await svc.http(undefined, 'GET', '/fhir/metadata')).body,
      'service-request-created': created.body,
      'transaction-response': (await svc.http(gp, 'POST', '/fhir', bundle)).body,
      'task-read': (await svc.http(coordinator, 'GET', `/fhir/Task/${id}`)).body,
      'service-request-read': (await svc.http(gp, 'GET', `/fhir/ServiceRequest/${id}`)).body,
      'task-vread': (await svc.http(gp, 'GET', `/fhir/Task/${id}/_history/0`)).body,
      'task-history': (await svc.http(gp, 'GET', `/fhir/Task/${id}/_history`)).body,
      'task-search-include': (
        await svc.http(coordinator, 'GET', `/fhir/Task?status=requested&_include=Task:focus&_count=1`)
      ).body,
      'task-search-empty': (await svc.http(gp, 'GET', '/fhir/Task?_id=00000000-0000-4000-8000-000000000000')).body,
      'task-search-unknown-parameter': (await svc.http(gp, 'GET', '/fhir/Task?colour=blue')).body,
      'not-found': (await svc.http(otherGp, 'GET', `/fhir/Task/${id}`)).body,
      invalid: (await svc.http(gp, 'POST', '/fhir/ServiceRequest', { resourceType: 'ServiceRequest' })).body,
      unauthenticated: (await svc.http(undefined, 'GET', `/fhir/Task/${id}`)).body,
    };
    for (const [name, body] of Object.entries(answers))
      expect([name, (body as { resourceType?: string })?.resourceType]).toEqual([name, expect.any(String)]);
    expect(await hapiValidationErrors(answers)).toEqual([]);
  }, 180_000);
});
