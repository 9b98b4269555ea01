import { narrativeText, parseReferralDocument } from './document';
import { CLUSTER, PRACTICE_AGB, referralDocument } from './testing/documents';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const parse = (mutate: (d: any) => void = () => undefined) => {
  const document = referralDocument('doc-1', '123456782');
  mutate(document);
  return parseReferralDocument(document);
};

describe('a ZorgDomein referral document, read', () => {
  it('gives the addressee, the practice, the patient, the reasons, the letter and the attachments', () => {
    const result = parse();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document).toMatchObject({
      documentId: 'doc-1',
      recipient: [CLUSTER],
      senderOrganisation: [PRACTICE_AGB],
      referrerRole: 'huisarts',
      patient: {
        bsn: '123456782',
        name: { given: 'Jet', family: 'Voorbeeld' },
        birthDate: '1955-04-12',
        sex: 'female',
      },
      reasons: ['eenzaamheid'],
    });
    expect(result.document.text).toBe('Reden van verwijzing\nSinds overlijden partner weinig contact & somber.');
    expect(result.document.attachments).toEqual([
      expect.objectContaining({ title: 'Aanvullende informatie', contentType: 'text/plain' }),
    ]);
  });

  it('takes "other" as the reason when no section carries a referral-reason code', () => {
    const result = parse((d) => delete d.entry[0].resource.section[0].code);
    expect(result.ok && result.document.reasons).toEqual(['other']);
  });

  it('names every problem by FHIRPath: no addressee, a sender that is not a PractitionerRole, no birth date', () => {
    const result = parse((d) => {
      d.entry[0].resource.extension = d.entry[0].resource.extension.slice(0, 1);
      d.entry[0].resource.extension[0].valueReference.reference = 'urn:uuid:5b6c1a40-0002-4c6e-9a0e-000000000002';
      delete d.entry[1].resource.birthDate;
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.expression)).toEqual(
      expect.arrayContaining([
        'Bundle.entry[0].resource.extension',
        'Bundle.entry[0].resource.extension[0]',
        'Patient.birthDate',
      ]),
    );
  });

  it('refuses an attachment that is not base64', () => {
    const result = parse((d) => (d.entry[6].resource.content[0].attachment.data = 'not base64!'));
    expect(!result.ok && result.issues[0]!.expression).toBe('Bundle.entry[6].resource');
  });

  it('reads a narrative as plain text', () => {
    expect(narrativeText('<div><p>Een &lt;b&gt; &amp; twee</p><br/>drie</div>')).toBe('Een <b> & twee\ndrie');
  });
});
