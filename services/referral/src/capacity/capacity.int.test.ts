import { bsnSequence } from '@wor/test-support';
import { amsterdamDay } from '../work-queues/working-days';
import { monthOf } from './capacity';
import {
  coordinator,
  gp,
  referralBody,
  startReferralService,
  type ReferralServiceUnderTest,
  type TestCaller,
} from '../testing/harness';

const bsn = bsnSequence(30_000_000);

describe('coach capacity and waitlists (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  const month = monthOf(amsterdamDay(new Date()));
  const status = async (caller: TestCaller = gp) =>
    (await svc.http(caller, 'GET', '/capacity/organisations/welzijn-beterstad')).body;
  const refer = async () => {
    const patient = bsn();
    const answer = await svc.http(gp, 'POST', '/referrals', referralBody(await svc.consentFor(patient), patient));
    expect(answer.status).toBe(201);
    return answer.body.referralId as string;
  };
  const step = async (referralId: string, name: string, body: unknown) => {
    const current = await svc.http(coordinator, 'GET', `/referrals/${referralId}`);
    const answer = await svc.http(coordinator, 'POST', `/referrals/${referralId}/${name}`, body, {
      'if-match': current.headers.get('etag')!,
    });
    expect(answer.status).toBe(200);
  };

  beforeAll(async () => {
    svc = await startReferralService();
    await svc.agreement();
  });
  afterAll(() => svc.stop());

  it('is unknown until the coordinator plans the month; only the coordinator plans', async () => {
    expect(await status()).toMatchObject({ status: 'unknown', month, hours: null });
    expect((await svc.http(gp, 'PUT', `/capacity/plans/${month}`, { coachHours: 20 })).status).toBe(403);
    expect((await svc.http(coordinator, 'PUT', `/capacity/plans/${month}`, { coachHours: -1 })).status).toBe(422);
    expect((await svc.http(coordinator, 'PUT', '/capacity/plans/2026-13', { coachHours: 20 })).status).toBe(422);
  });

  it('moves from capacity to waitlist as referrals open, and back as they close; a GP sees it before referring', async () => {
    // 20 hours: room for two referrals of 8.5 hours.
    const plan = await svc.http(coordinator, 'PUT', `/capacity/plans/${month}`, { coachHours: 20 });
    expect(plan.body).toMatchObject({ coachHours: 20, expectedHoursPerReferral: 8.5, maxWaitWorkingDays: 40 });
    expect(await status()).toMatchObject({ status: 'capacity', openReferrals: 0 });

    const first = await refer();
    expect(await status()).toMatchObject({ status: 'capacity', openReferrals: 1, hours: { committed: 8.5 } });
    const second = await refer();
    const full = await status();
    expect(full).toMatchObject({ status: 'waitlist', openReferrals: 2, hours: { available: 20, committed: 17 } });
    expect(full.expectedWaitWorkingDays).toBeGreaterThan(0);

    // A referral into the waitlist is taken, and shows its place among those not yet accepted.
    const third = await refer();
    const place = await svc.http(gp, 'GET', `/referrals/${third}/waiting-position`);
    expect(place.body).toMatchObject({ referralId: third, position: 3, status: 'waitlist' });
    await step(first, 'accept', {});
    expect((await svc.http(gp, 'GET', `/referrals/${third}/waiting-position`)).body.position).toBe(2);
    expect((await svc.http(coordinator, 'GET', `/referrals/${first}/waiting-position`)).body.position).toBeNull();

    // Closing frees the expected hours but keeps the hours recorded: 2 open × 8.5 + 6 recorded = 23.
    await step(first, 'fail', { reason: 'declined', coachHours: 6 });
    expect(await status()).toMatchObject({ openReferrals: 2, hours: { committed: 23 } });
    await step(second, 'reject', { reason: 'outside-area' });
    await step(third, 'reject', { reason: 'outside-area' });
    expect(await status()).toMatchObject({ status: 'capacity', openReferrals: 0, hours: { committed: 6 } });
  });

  it('tells FHIR referral sources by HealthcareService with the Gravity capacity-status extension', async () => {
    await svc.http(coordinator, 'PUT', `/capacity/plans/${month}`, { coachHours: 12 });
    const search = await svc.http(gp, 'GET', '/fhir/HealthcareService?organization=welzijn-beterstad');
    expect(search.status).toBe(200);
    expect(search.contentType).toMatch(/^application\/fhir\+json/);
    const service = search.body.entry[0].resource;
    expect(service).toMatchObject({ resourceType: 'HealthcareService', id: 'welzijn-beterstad' });
    expect(service.extension[0]).toMatchObject({
      url: 'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ExtensionHealthcareServiceCapacityStatus',
      valueCodeableConcept: { coding: [{ code: 'waitlist' }] },
    });
    expect(service.availabilityExceptions).toMatch(/werkdagen/);
    const read = await svc.http(gp, 'GET', '/fhir/HealthcareService/welzijn-beterstad');
    expect(read.body.extension[0].valueCodeableConcept.coding[0].code).toBe('waitlist');
    expect((await svc.http(gp, 'GET', '/fhir/HealthcareService')).body.resourceType).toBe('OperationOutcome');
  });

  it('says no capacity when the plan has no hours', async () => {
    await svc.http(coordinator, 'PUT', `/capacity/plans/${month}`, { coachHours: 0 });
    expect(await status(coordinator)).toMatchObject({ status: 'no-capacity' });
  });

  it('answers 404 on the waiting position of a referral the caller is no party to', async () => {
    const referralId = await refer();
    const stranger: TestCaller = { sub: 'gp-elders', roles: ['gp-system'], org: 'huisarts-elders' };
    expect((await svc.http(stranger, 'GET', `/referrals/${referralId}/waiting-position`)).status).toBe(404);
  });
});
