// Every answer that carries a consent carries its unsealed evidence (the document reference may identify
// the patient), so every path that returns one — REST and FHIR, create, read, search, withdraw, and a
// PUT that changes nothing — leaves an entry in the NEN 7513 access log.
import { SYSTEMS } from '../fhir/consent-resource';
import { consentBody, gp, officer, startConsentService, type ConsentServiceUnderTest } from '../testing/harness';

const fhirConsent = (bsn: string) => ({
  resourceType: 'Consent',
  status: 'active',
  scope: { coding: [{ system: SYSTEMS.scope, code: 'patient-privacy' }] },
  category: [{ coding: [{ system: SYSTEMS.loinc, code: '59284-0' }] }],
  patient: { identifier: { system: SYSTEMS.bsn, value: bsn } },
  sourceReference: { identifier: { system: SYSTEMS.document, value: 'formulier-2026-11-0099' } },
  extension: [{ url: SYSTEMS.method, valueCode: 'signed' }],
  provision: {
    type: 'permit',
    actor: [
      {
        role: { coding: [{ system: SYSTEMS.participation, code: 'IRCP' }] },
        reference: { identifier: { system: SYSTEMS.organisation, value: 'welzijn-beterstad' } },
      },
    ],
    purpose: [{ system: SYSTEMS.purpose, code: 'wor-coaching' }],
  },
});

describe('every consent read and change is in the access log (real PostgreSQL)', () => {
  let svc: ConsentServiceUnderTest;
  beforeAll(async () => {
    svc = await startConsentService();
  });
  afterAll(() => svc.stop());

  const entriesOf = async (subjectId: string) =>
    (
      await svc.pool.query<{ entry: { action: string; resource: { type: string; id: string }; userId: string } }>(
        `SELECT entry FROM access_log WHERE entry->>'subjectId' = $1 ORDER BY seq`,
        [subjectId],
      )
    ).rows.map(({ entry }) => `${entry.action}:${entry.resource.type}:${entry.resource.id}:${entry.userId}`);

  it('REST: recording, reading and withdrawing a consent', async () => {
    const created = await svc.http(gp, 'POST', '/consents', consentBody('123456782'));
    expect(created.body.evidence.documentReference).toBe('scan-toestemming-0042');
    const id = created.body.consentId as string;
    await svc.http(gp, 'GET', `/consents/${id}`);
    await svc.http(gp, 'POST', `/consents/${id}/withdraw`);
    expect(await entriesOf(created.body.subjectId)).toEqual([
      `C:consent:${id}:gp-system-1`,
      `R:consent:${id}:gp-system-1`,
      `U:consent:${id}:gp-system-1`,
    ]);
  });

  it('FHIR: create, read, a PUT with the status unchanged, the withdrawing PUT, and search', async () => {
    const created = await svc.http(gp, 'POST', '/fhir/Consent', fhirConsent('123456794'));
    const id = created.body.id as string;
    const subjectId = created.body.patient.identifier.value as string;
    await svc.http(gp, 'GET', `/fhir/Consent/${id}`);
    const unchanged = await svc.http(gp, 'PUT', `/fhir/Consent/${id}`, created.body);
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.sourceReference).toEqual({
      identifier: { system: SYSTEMS.document, value: 'formulier-2026-11-0099' },
    });
    await svc.http(gp, 'PUT', `/fhir/Consent/${id}`, { ...created.body, status: 'inactive' });
    await svc.http(officer, 'GET', `/fhir/Consent?patient=${subjectId}`);
    expect(await entriesOf(subjectId)).toEqual([
      `C:Consent:${id}:gp-system-1`,
      `R:Consent:${id}:gp-system-1`,
      `R:Consent:${id}:gp-system-1`,
      `U:Consent:${id}:gp-system-1`,
      'R:Consent:search:po-1',
    ]);
  });
});
