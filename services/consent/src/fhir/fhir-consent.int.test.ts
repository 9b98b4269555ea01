import { hapiValidationErrors } from '@wor/test-support';
import { consentBody, gp, officer, startConsentService, type ConsentServiceUnderTest } from '../testing/harness';
import { SYSTEMS } from './consent-resource';
import { CONSENT_FHIR_ROUTES } from './routes';

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

  it('answers FHIR that HAPI FHIR validates against base R4 without errors', async () => {
    const created = await svc.http(gp, 'POST', '/fhir/Consent', fhirConsent('111222333'));
    expect(created.status).toBe(201);
    const subject = created.body.patient.identifier.value as string;
    const answers = {
      metadata: (await svc.http(undefined, 'GET', '/fhir/metadata')).body,
      created: created.body,
      read: (await svc.http(gp, 'GET', `/fhir/Consent/${created.body.id}`)).body,
      withdrawn: (
        await svc.http(gp, 'PUT', `/fhir/Consent/${created.body.id}`, { ...created.body, status: 'inactive' })
      ).body,
      searchset: (await svc.http(officer, 'GET', `/fhir/Consent?patient=${subject}&status=inactive`)).body,
      'searchset-empty': (await svc.http(officer, 'GET', '/fhir/Consent?patient=sub_nobody')).body,
      'searchset-unknown-parameter': (await svc.http(officer, 'GET', `/fhir/Consent?patient=${subject}&colour=blue`))
        .body,
      invalid: (await svc.http(gp, 'POST', '/fhir/Consent', { resourceType: 'Consent' })).body,
      'not-found': (await svc.http(gp, 'GET', '/fhir/Consent/00000000-0000-4000-8000-000000000000')).body,
      unauthenticated: (await svc.http(undefined, 'GET', `/fhir/Consent/${created.body.id}`)).body,
    };
    for (const [name, body] of Object.entries(answers))
      expect([name, (body as { resourceType?: string })?.resourceType]).toEqual([name, expect.any(String)]);
    expect(await hapiValidationErrors(answers)).toEqual([]);
  }, 180_000);

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

    const subject = created.body.patient.identifier.value as string;
    const bundle = await svc.http(officer, 'GET', `/fhir/Consent?patient=${subject}`);
    expect(bundle.body).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 1,
      link: [{ relation: 'self', url: `${svc.url}/fhir/Consent?patient=${subject}` }],
      entry: [
        {
          fullUrl: `${svc.url}/fhir/Consent/${created.body.id}`,
          resource: { id: created.body.id, status: 'inactive' },
          search: { mode: 'match' },
        },
      ],
    });
    // R4 parameters: patient by identifier, status and actor (comma is OR); the R5 name `subject` is ignored.
    const ids = async (query: string) => {
      const res = await svc.http(officer, 'GET', `/fhir/Consent?${query}`);
      expect(res.status).toBe(200);
      return ((res.body.entry ?? []) as { resource: { id: string }; search: { mode: string } }[])
        .filter((e) => e.search.mode === 'match')
        .map((e) => e.resource.id);
    };
    expect(await ids(`patient=${SYSTEMS.subject}|${subject}&status=inactive,active`)).toEqual([created.body.id]);
    expect(await ids(`patient=${subject}&status=active`)).toEqual([]);
    expect(await ids(`patient=${subject}&actor=welzijn-beterstad`)).toEqual([created.body.id]);
    expect(await ids(`patient=${subject}&actor=${SYSTEMS.organisation}|welzijn-elders`)).toEqual([]);
    const lenient = await svc.http(officer, 'GET', `/fhir/Consent?patient=${subject}&subject=${subject}`);
    expect(lenient.body.entry.at(-1)).toMatchObject({
      search: { mode: 'outcome' },
      resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-supported' }] },
    });
    const noPatient = await svc.http(officer, 'GET', `/fhir/Consent?subject=${subject}`);
    expect([noPatient.status, noPatient.body.resourceType]).toEqual([400, 'OperationOutcome']);
  });

  it('rejects an invalid Consent with a 422 OperationOutcome naming FHIRPaths, storing nothing', async () => {
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
    expect(bad.contentType).toMatch(/^application\/fhir\+json/);
    const expressions = (body: Record<string, unknown>): string[] =>
      (body.issue as { expression?: string[] }[]).flatMap((i) => i.expression ?? []);
    expect(expressions(bad.body)).toEqual(
      expect.arrayContaining(['Consent.patient.identifier', 'Consent.provision.type']),
    );
    expect(bad.body.issue[0]).toMatchObject({ severity: 'error', code: 'invalid' });
    const badBsn = await svc.http(gp, 'POST', '/fhir/Consent', fhirConsent('1234'));
    expect(badBsn.status).toBe(422);
    expect(expressions(badBsn.body)).toEqual(['Consent.patient.identifier.value']);
    expect((await svc.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
  });

  it('describes itself at /fhir/metadata without a token, from the route table', async () => {
    const res = await svc.http(undefined, 'GET', '/fhir/metadata');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      kind: 'instance',
      implementation: { url: `${svc.url}/fhir` },
    });
    const consent = res.body.rest[0].resource.find((r: { type: string }) => r.type === 'Consent');
    expect(consent.interaction.map((i: { code: string }) => i.code).sort()).toEqual(
      Object.values(CONSENT_FHIR_ROUTES)
        .map((r) => r.interaction)
        .sort(),
    );
    expect(consent.searchParam.map((p: { name: string; type: string }) => `${p.name}:${p.type}`)).toEqual([
      'patient:reference',
      'status:token',
      'actor:reference',
    ]);
  });

  it('answers 401, 403 and 404 under /fhir as OperationOutcome', async () => {
    const created = await svc.http(gp, 'POST', '/fhir/Consent', fhirConsent('123456785'));
    for (const [caller, path, status, code] of [
      [undefined, `/fhir/Consent/${created.body.id}`, 401, 'login'],
      [gp, '/fhir/Consent?patient=x', 403, 'forbidden'],
      [gp, '/fhir/Consent/not-a-uuid', 404, 'not-found'],
      [gp, '/fhir/Consent/00000000-0000-4000-8000-000000000000', 404, 'not-found'],
      [gp, '/fhir/Patient', 404, 'not-found'],
    ] as const) {
      const res = await svc.http(caller, 'GET', path);
      expect([path, res.status, res.contentType.split(';')[0], res.body.issue[0].code]).toEqual([
        path,
        status,
        'application/fhir+json',
        code,
      ]);
    }
    // The REST API keeps problem+json.
    expect((await svc.http(undefined, 'GET', `/consents/${created.body.id}`)).contentType).toMatch(/problem\+json/);
  });
});
