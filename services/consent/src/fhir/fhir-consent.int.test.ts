import { consentBody, gp, officer, startConsentService, type ConsentServiceUnderTest } from '../testing/harness';
import { SYSTEMS } from './consent-resource';

const fhirConsent = (bsn: string, over: Record<string, unknown> = {}) => ({
  resourceType: 'Consent',
  status: 'active',
  scope: { coding: [{ system: SYSTEMS.scope, code: 'patient-privacy' }] },
  category: [{ coding: [{ system: SYSTEMS.loinc, code: '59284-0' }] }],
  patient: { identifier: { system: SYSTEMS.bsn, value: bsn } },
  sourceReference: { identifier: { system: SYSTEMS.document, value: 'formulier-2026-11-0007' } },
  extension: [{ url: SYSTEMS.method, valueCode: 'signed' }],
  provision: {
    type: 'permit',
    period: { start: '2026-11-01T00:00:00.000Z', end: '2027-11-01T00:00:00.000Z' },
    actor: [
      {
        role: { coding: [{ system: SYSTEMS.participation, code: 'IRCP' }] },
        reference: { identifier: { system: SYSTEMS.organisation, value: 'welzijn-beterstad' } },
      },
    ],
    purpose: [{ system: SYSTEMS.purpose, code: 'wor-coaching' }],
    class: [{ system: SYSTEMS.dataCategory, code: 'contact-details' }],
  },
  ...over,
});

describe('FHIR R4 Consent at /fhir/Consent (real PostgreSQL)', () => {
  let svc: ConsentServiceUnderTest;
  beforeAll(async () => {
    svc = await startConsentService();
  });
  afterAll(() => svc.stop());

  it('round-trips a FHIR Consent: what is written is read back, the BSN replaced by the pseudonymous subject', async () => {
    const written = fhirConsent('123456782');
    const created = await svc.http(gp, 'POST', '/fhir/Consent', written);
    expect(created.status).toBe(201);
    expect(created.contentType).toMatch(/^application\/fhir\+json/);
    const read = await svc.http(gp, 'GET', `/fhir/Consent/${created.body.id}`);
    expect(read.body).toEqual(created.body);
    const { patient: _p, ...sameAsWritten } = written;
    expect(read.body).toMatchObject({
      ...sameAsWritten,
      patient: { identifier: { system: SYSTEMS.subject, value: expect.stringMatching(/^sub_/) } },
    });
    expect(JSON.stringify(read.body)).not.toContain('123456782');
    // The REST view of the same consent agrees.
    expect((await svc.http(gp, 'GET', `/consents/${created.body.id}`)).body).toMatchObject({
      provision: 'permit',
      recipientOrganisationIds: ['welzijn-beterstad'],
      purposes: ['wor-coaching'],
      dataCategories: ['contact-details'],
      validUntil: '2027-11-01T00:00:00.000Z',
      evidence: { method: 'signed', documentReference: 'formulier-2026-11-0007' },
    });
  });

  it('reads a REST consent as FHIR, and writes an objection with open scopes', async () => {
    const rest = await svc.http(gp, 'POST', '/consents', consentBody('123456794', { purposes: null }));
    const fhir = await svc.http(gp, 'GET', `/fhir/Consent/${rest.body.consentId}`);
    expect(fhir.body.provision).toEqual({
      type: 'permit',
      period: { start: rest.body.validFrom },
      actor: [
        expect.objectContaining({
          reference: { identifier: { system: SYSTEMS.organisation, value: 'welzijn-beterstad' } },
        }),
      ],
      class: [
        { system: SYSTEMS.dataCategory, code: 'contact-details' },
        { system: SYSTEMS.dataCategory, code: 'referral-reason' },
      ],
    });

    const objection = fhirConsent('123456794', {
      provision: { type: 'deny', class: [{ system: SYSTEMS.dataCategory, code: 'referral-reason' }] },
    });
    const created = await svc.http(gp, 'POST', '/fhir/Consent', objection);
    expect(created.status).toBe(201);
    expect(created.body.provision).toEqual({
      type: 'deny',
      period: { start: expect.any(String) },
      class: [{ system: SYSTEMS.dataCategory, code: 'referral-reason' }],
    });
    expect((await svc.http(gp, 'GET', `/consents/${created.body.id}`)).body).toMatchObject({
      provision: 'deny',
      recipientOrganisationIds: null,
      purposes: null,
    });
  });

  it('withdraws by PUT with status inactive; other changes are refused', async () => {
    const created = await svc.http(gp, 'POST', '/fhir/Consent', fhirConsent('123456800'));
    const changed = await svc.http(gp, 'PUT', `/fhir/Consent/${created.body.id}`, {
      ...created.body,
      status: 'entered-in-error',
    });
    expect(changed.status).toBe(422);
    const withdrawn = await svc.http(gp, 'PUT', `/fhir/Consent/${created.body.id}`, {
      ...created.body,
      status: 'inactive',
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('inactive');
    expect((await svc.http(gp, 'GET', `/consents/${created.body.id}`)).body.status).toBe('withdrawn');

    const bundle = await svc.http(officer, 'GET', `/fhir/Consent?subject=${created.body.patient.identifier.value}`);
    expect(bundle.body).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 1,
      entry: [{ resource: { id: created.body.id, status: 'inactive' } }],
    });
  });

  it('rejects an invalid Consent with 422 and field paths, storing nothing', async () => {
    const before = (await svc.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    const bad = await svc.http(
      gp,
      'POST',
      '/fhir/Consent',
      fhirConsent('1234', {
        patient: { identifier: { system: 'urn:other', value: 'x' } },
        provision: { type: 'maybe' },
      }),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['patient.identifier', 'provision.type']),
    );
    const badBsn = await svc.http(gp, 'POST', '/fhir/Consent', fhirConsent('1234'));
    expect(badBsn.status).toBe(422);
    expect((await svc.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
  });
});
