// The platform's contact-preference extension on the document's Patient, where the sending system fills it.
import { EXTENSIONS, SYSTEMS } from '../fhir/mapping';
import { parseReferralDocument } from './document';
import { referralDocument } from './testing/documents';

const withPreference = (coding: object) => {
  const document = referralDocument('doc-cp', '123456782');
  (document.entry[1]!.resource as Record<string, unknown>).extension = [
    { url: EXTENSIONS.contactPreference, valueCoding: coding },
  ];
  return parseReferralDocument(document);
};

describe('a ZorgDomein document with a contact preference', () => {
  it('carries it into the patient details (sealed with them on intake)', () => {
    const result = withPreference({ system: SYSTEMS.contactPreference, code: 'gp-only' });
    expect(result.ok && result.document.patient.contactPreference).toBe('gp-only');
  });

  it('has none without the extension (ZorgDomein itself sends none)', () => {
    const result = parseReferralDocument(referralDocument('doc-cp', '123456782'));
    expect(result.ok && 'contactPreference' in result.document.patient).toBe(false);
  });

  it('names an unknown code by its FHIRPath', () => {
    const result = withPreference({ system: SYSTEMS.contactPreference, code: 'pigeon' });
    expect(!result.ok && result.issues.map((i) => i.expression)).toEqual(['Patient.extension[0].valueCoding']);
  });
});
