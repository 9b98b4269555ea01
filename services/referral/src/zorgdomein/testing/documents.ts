// Referral documents shaped as ZorgDomein's "Receive documents" (FHIR edition) describes them: a Bundle of
// type document, Composition first with the zd-sender and zd-receiver extensions, the patient, the
// sending practitioner's role, practitioner and practice, and an attachment. Written for these tests.
import { SYSTEMS } from '../../fhir/mapping';
import { NAMING } from '../document';

export const CLUSTER = { system: 'http://zorgdomein.nl/fhir/identifier/cluster', value: 'ZD-CLUSTER-4711' };
export const PRACTICE_AGB = { system: NAMING.agb, value: '01055555' };

export const referralDocument = (documentId: string, bsn: string, over: { reason?: string } = {}) => ({
  resourceType: 'Bundle',
  id: documentId,
  type: 'document',
  identifier: { system: 'http://zorgdomein.nl/fhir/identifier/document', value: documentId },
  timestamp: '2026-11-30T09:15:00+01:00',
  entry: [
    {
      fullUrl: 'urn:uuid:5b6c1a40-0001-4c6e-9a0e-000000000001',
      resource: {
        resourceType: 'Composition',
        id: 'verwijsbrief',
        identifier: { system: 'http://zorgdomein.nl/fhir/identifier/zd-number', value: 'ZD12345678' },
        extension: [
          {
            url: 'http://zorgdomein.nl/fhir/StructureDefinition/zd-sender',
            valueReference: { reference: 'urn:uuid:5b6c1a40-0003-4c6e-9a0e-000000000003' },
          },
          {
            url: 'http://zorgdomein.nl/fhir/StructureDefinition/zd-receiver',
            valueReference: { reference: 'urn:uuid:5b6c1a40-0006-4c6e-9a0e-000000000006' },
          },
        ],
        status: 'final',
        type: { coding: [{ system: 'http://zorgdomein.nl/fhir/CodeSystem/zd-document-type', code: 'Verwijsbrief' }] },
        subject: { reference: 'urn:uuid:5b6c1a40-0002-4c6e-9a0e-000000000002' },
        date: '2026-11-30T09:15:00+01:00',
        author: [{ reference: 'urn:uuid:5b6c1a40-0003-4c6e-9a0e-000000000003' }],
        title: 'Verwijzing Welzijn op Recept',
        section: [
          {
            title: 'Reden van verwijzing',
            code: { coding: [{ system: SYSTEMS.reason, code: over.reason ?? 'eenzaamheid' }] },
            text: {
              status: 'generated',
              div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Sinds overlijden partner weinig contact &amp; somber.</p></div>',
            },
          },
        ],
      },
    },
    {
      fullUrl: 'urn:uuid:5b6c1a40-0002-4c6e-9a0e-000000000002',
      resource: {
        resourceType: 'Patient',
        identifier: [{ system: NAMING.bsn, value: bsn }],
        name: [{ family: 'Voorbeeld', given: ['Jet'] }],
        gender: 'female',
        birthDate: '1955-04-12',
        telecom: [
          { system: 'phone', value: '+31 6 12345678' },
          { system: 'email', value: 'jet.voorbeeld@example.org' },
        ],
      },
    },
    {
      fullUrl: 'urn:uuid:5b6c1a40-0003-4c6e-9a0e-000000000003',
      resource: {
        resourceType: 'PractitionerRole',
        practitioner: { reference: 'urn:uuid:5b6c1a40-0004-4c6e-9a0e-000000000004' },
        organization: { reference: 'urn:uuid:5b6c1a40-0005-4c6e-9a0e-000000000005' },
        code: [{ coding: [{ system: 'urn:oid:2.16.840.1.113883.2.4.15.111', code: '01.015' }] }],
      },
    },
    {
      fullUrl: 'urn:uuid:5b6c1a40-0004-4c6e-9a0e-000000000004',
      resource: {
        resourceType: 'Practitioner',
        identifier: [{ system: NAMING.agb, value: '01012345' }],
        name: [{ family: 'Huisarts', given: ['Henk'] }],
      },
    },
    {
      fullUrl: 'urn:uuid:5b6c1a40-0005-4c6e-9a0e-000000000005',
      resource: { resourceType: 'Organization', identifier: [PRACTICE_AGB], name: 'Huisartsenpraktijk Beterschap' },
    },
    {
      fullUrl: 'urn:uuid:5b6c1a40-0006-4c6e-9a0e-000000000006',
      resource: { resourceType: 'Organization', identifier: [CLUSTER], name: 'Welzijn Beterstad, Welzijn op Recept' },
    },
    {
      fullUrl: 'urn:uuid:5b6c1a40-0007-4c6e-9a0e-000000000007',
      resource: {
        resourceType: 'DocumentReference',
        status: 'current',
        subject: { reference: 'urn:uuid:5b6c1a40-0002-4c6e-9a0e-000000000002' },
        content: [
          {
            attachment: {
              contentType: 'text/plain',
              title: 'Aanvullende informatie',
              data: Buffer.from('Patiente wil graag wandelen.').toString('base64'),
            },
          },
        ],
      },
    },
  ],
});
