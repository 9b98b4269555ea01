// The consent service's FHIR route table: the one definition the routes (api.ts), their policies
// (policies.ts) and the CapabilityStatement (GET /fhir/metadata) are derived from.
import type { CapabilityOptions, EndpointPolicy, FhirRouteTable, Role } from '@wor/service-kit';

const ACROSS: Role[] = ['privacy-officer', 'admin'];
const scoped = (roles: Role[]): EndpointPolicy => ({ roles, scope: 'organisation', unscoped: ACROSS });
const officers: EndpointPolicy = { roles: ACROSS, scope: 'none' };

export const CONSENT_FHIR_ROUTES = {
  create: {
    kind: 'interaction',
    resource: 'Consent',
    interaction: 'create',
    method: 'POST',
    path: '/fhir/Consent',
    policy: scoped(['gp-system', 'referrer', 'admin']),
    documentation: 'The patient as a BSN identifier; read back with the pseudonymous subject id.',
  },
  read: {
    kind: 'interaction',
    resource: 'Consent',
    interaction: 'read',
    method: 'GET',
    path: '/fhir/Consent/:id',
    policy: scoped(['gp-system', 'referrer', 'privacy-officer', 'admin']),
  },
  search: {
    kind: 'interaction',
    resource: 'Consent',
    interaction: 'search-type',
    method: 'GET',
    path: '/fhir/Consent',
    policy: officers,
    documentation: "A subject's consents, for the privacy officer (patient is required).",
    searchParams: [
      {
        name: 'patient',
        type: 'reference',
        documentation: 'The pseudonymous subject id, plain or as urn:wor:subject-id|<id> (required).',
      },
      { name: 'status', type: 'token', documentation: 'active or inactive (withdrawn); comma-separated is OR.' },
      { name: 'actor', type: 'reference', documentation: 'A recipient organisation id; comma-separated is OR.' },
    ],
  },
  update: {
    kind: 'interaction',
    resource: 'Consent',
    interaction: 'update',
    method: 'PUT',
    path: '/fhir/Consent/:id',
    policy: scoped(['gp-system', 'referrer', 'privacy-officer', 'admin']),
    documentation: "Withdrawal only: status 'inactive'. A consent's terms never change; record a new one instead.",
  },
} as const satisfies FhirRouteTable;

export const consentCapability = (canonicalBase: string): CapabilityOptions => ({
  id: 'wor-consent',
  title: 'WoR consent service (FHIR R4 Consent)',
  description:
    "The patient's consent (toestemming) or objection for sharing within Welzijn op Recept, under the AVG (GDPR).",
  canonicalBase,
  instantiates: [],
  resources: { Consent: {} },
  unsupported: [
    'XML',
    'patch and delete; update only to withdraw',
    'history and vread',
    'conditional create, update and delete',
    '_include, _revinclude, chained parameters and modifiers (patient and actor take [system|]value)',
    'batch and transaction Bundles',
  ],
  date: '2026-12-02',
  version: '0.1.0',
});
