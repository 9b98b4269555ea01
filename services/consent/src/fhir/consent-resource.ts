// FHIR R4 Consent ⇄ this service's consent. Scope patient-privacy, category LOINC 59284-0 (patient
// consent). The patient is written with a BSN identifier and read back with the pseudonymous subject
// id (this service never keeps the BSN). Recipients are provision.actor with role IRCP; purposes are
// provision.purpose; data categories provision.class; the evidence method an extension.
import { ConsentPurpose, DataCategory, OrganisationId } from '@wor/contracts';
import { fhirCanonicalBase, narrative } from '@wor/service-kit';
import type { Consent } from 'fhir/r4';
import { z } from 'zod';

export const SYSTEMS = {
  bsn: 'http://fhir.nl/fhir/NamingSystem/bsn',
  subject: 'urn:wor:subject-id',
  organisation: 'urn:wor:organisation-id',
  purpose: 'urn:wor:consent-purpose',
  dataCategory: 'urn:wor:data-category',
  document: 'urn:wor:consent-document',
  user: 'urn:wor:user-id',
  scope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  loinc: 'http://loinc.org',
  participation: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  get method() {
    return `${fhirCanonicalBase()}/StructureDefinition/consent-evidence-method`;
  },
} as const;

const Coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const CodeableConcept = z.object({ coding: z.array(Coding).optional(), text: z.string().optional() });
const Identifier = z.object({ system: z.string(), value: z.string() });

/** The Consent elements this service understands; others are ignored, as FHIR servers may. */
export const FhirConsentInput = z.object({
  resourceType: z.literal('Consent'),
  status: z.literal('active'),
  scope: CodeableConcept.optional(),
  category: z.array(CodeableConcept).optional(),
  patient: z.object({
    identifier: Identifier.refine(
      (i) => i.system === SYSTEMS.bsn,
      'a BSN identifier (http://fhir.nl/fhir/NamingSystem/bsn)',
    ),
  }),
  dateTime: z.string().optional(),
  sourceReference: z.object({ identifier: Identifier }).optional(),
  extension: z.array(z.object({ url: z.string(), valueCode: z.string().optional() })).optional(),
  provision: z.object({
    type: z.enum(['permit', 'deny']),
    period: z
      .object({ start: z.iso.datetime({ offset: true }).optional(), end: z.iso.datetime({ offset: true }).optional() })
      .optional(),
    actor: z
      .array(
        z.object({
          role: CodeableConcept,
          reference: z.object({ identifier: Identifier.extend({ value: OrganisationId }) }),
        }),
      )
      .optional(),
    purpose: z.array(Coding.extend({ code: ConsentPurpose })).optional(),
    class: z.array(Coding.extend({ code: DataCategory })).optional(),
  }),
});
export type FhirConsentInput = z.infer<typeof FhirConsentInput>;

const nonEmptyOrNull = <T>(items: T[] | undefined): T[] | null => (items && items.length > 0 ? items : null);

/** The consent's terms from a FHIR Consent; absent actors, purposes or classes leave that dimension open. */
export const fromFhir = (r: FhirConsentInput) => {
  const method = r.extension?.find((e) => e.url === SYSTEMS.method)?.valueCode;
  return {
    bsn: r.patient.identifier.value,
    provision: r.provision.type,
    recipientOrganisationIds: nonEmptyOrNull(r.provision.actor?.map((a) => a.reference.identifier.value)),
    purposes: nonEmptyOrNull(r.provision.purpose?.map((p) => p.code)),
    dataCategories: nonEmptyOrNull(r.provision.class?.map((c) => c.code)),
    validFrom: r.provision.period?.start,
    validUntil: r.provision.period?.end ?? null,
    evidence: {
      method: method === 'verbal' || method === 'signed' || method === 'digital' ? method : ('digital' as const),
      documentReference: r.sourceReference?.identifier.value,
    },
  };
};

export type ConsentForFhir = Readonly<{
  consentId: string;
  subjectId: string;
  status: 'active' | 'withdrawn';
  provision: 'permit' | 'deny';
  recipientOrganisationIds: string[] | null;
  purposes: string[] | null;
  dataCategories: string[] | null;
  validFrom: string;
  validUntil: string | null;
  recordedAt: string;
  evidence: { recordedBy: string; method: string; documentReference: string | null };
}>;

/** The GDPR (AVG), the policy every consent here is given under (R4: policy or policyRule, ppc-1). */
const GDPR = {
  authority: 'https://www.autoriteitpersoonsgegevens.nl',
  uri: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
};

export const toFhir = (c: ConsentForFhir): Consent => ({
  resourceType: 'Consent',
  id: c.consentId,
  text: narrative([
    `Consent ${c.consentId}: ${c.provision} (${c.status}) vanaf ${c.validFrom}${c.validUntil ? ` tot ${c.validUntil}` : ''}`,
  ]),
  // A withdrawn consent is no longer in force (R4 has no 'withdrawn' status).
  status: c.status === 'active' ? 'active' : 'inactive',
  scope: { coding: [{ system: SYSTEMS.scope, code: 'patient-privacy' }] },
  category: [{ coding: [{ system: SYSTEMS.loinc, code: '59284-0', display: 'Patient Consent' }] }],
  patient: { identifier: { system: SYSTEMS.subject, value: c.subjectId } },
  dateTime: c.recordedAt,
  performer: [{ identifier: { system: SYSTEMS.user, value: c.evidence.recordedBy } }],
  ...(c.evidence.documentReference
    ? { sourceReference: { identifier: { system: SYSTEMS.document, value: c.evidence.documentReference } } }
    : {}),
  extension: [{ url: SYSTEMS.method, valueCode: c.evidence.method }],
  policy: [GDPR],
  provision: {
    type: c.provision,
    period: { start: c.validFrom, ...(c.validUntil ? { end: c.validUntil } : {}) },
    ...(c.recipientOrganisationIds
      ? {
          actor: c.recipientOrganisationIds.map((id) => ({
            role: { coding: [{ system: SYSTEMS.participation, code: 'IRCP' }] },
            reference: { identifier: { system: SYSTEMS.organisation, value: id } },
          })),
        }
      : {}),
    ...(c.purposes ? { purpose: c.purposes.map((code) => ({ system: SYSTEMS.purpose, code })) } : {}),
    ...(c.dataCategories ? { class: c.dataCategories.map((code) => ({ system: SYSTEMS.dataCategory, code })) } : {}),
  },
});
