// FHIR fixtures for the referral service's tests (the service itself: ../../testing/harness).
import serviceRequestExample from '../examples/service-request.json';

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
