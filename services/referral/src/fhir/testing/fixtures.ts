// FHIR fixtures for the referral service's tests. The service itself is the one harness
// (../../testing/harness), started here with a public base URL as behind a proxy.
import { startReferralService, type ReferralServiceUnderTest, type TestCaller } from '../../testing/harness';
import serviceRequestExample from '../examples/service-request.json';
import taskExample from '../examples/task.json';

/** The configured public base URL (FHIR_BASE_URL), as behind a proxy: fullUrls and locations use it. */
export const FHIR_BASE = 'https://fhir.test.example/wor/fhir';
/** The path under this service of an absolute URL under FHIR_BASE, to request it. */
export const pathOf = (url: string): string => {
  if (!url.startsWith(`${FHIR_BASE}/`)) throw new Error(`not under ${FHIR_BASE}: ${url}`);
  return `/fhir${url.slice(FHIR_BASE.length)}`;
};

/**
 * The referral service for the FHIR tests: FHIR_BASE as its public base, a clock at 23 Nov 2026, and the
 * practice's data-sharing agreements with both welfare organisations (samenwerkingsovereenkomst).
 */
export const startFhirReferralService = async () => {
  const svc = await startReferralService({
    at: new Date('2026-11-23T10:00:00.000Z'),
    env: { ...process.env, FHIR_BASE_URL: FHIR_BASE },
  });
  await svc.agreement('welzijn-beterstad');
  await svc.agreement('welzijn-elders');
  return svc;
};

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The example ServiceRequest for another patient and consent (and optionally other changes). */
export const serviceRequestFor = (
  bsn: string,
  consentId: string,
  change: (sr: typeof serviceRequestExample) => void = () => undefined,
) => {
  const sr = clone(serviceRequestExample);
  sr.contained[0]!.identifier[0]!.value = bsn;
  sr.supportingInfo[0]!.reference = `Consent/${consentId}`;
  change(sr);
  return sr;
};

/**
 * A referral created by FHIR in two calls, as a Gravity referral source does: the ServiceRequest, then its
 * Task (requester and owner: the ServiceRequest's). Returns both answers; the Task create must be a 201.
 */
export const referByTwoCalls = async (
  svc: ReferralServiceUnderTest,
  caller: TestCaller,
  serviceRequest: ReturnType<typeof serviceRequestFor>,
) => {
  const sr = await svc.http(caller, 'POST', '/fhir/ServiceRequest', serviceRequest);
  if (sr.status !== 201) throw new Error(`ServiceRequest create answered ${sr.status}: ${sr.text}`);
  const id = sr.body.id as string;
  const task = await svc.http(caller, 'POST', '/fhir/Task', {
    ...clone(taskExample),
    focus: { reference: `ServiceRequest/${id}` },
    requester: sr.body.requester,
    owner: sr.body.performer[0],
  });
  if (task.status !== 201) throw new Error(`Task create answered ${task.status}: ${task.text}`);
  return { id, sr, task };
};
