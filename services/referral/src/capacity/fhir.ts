// Capacity for FHIR referral sources (HL7 Gravity SDOHCC STU3 "capacity status" use case): a search on
// HealthcareService answers the organisation's Welzijn op Recept service with the capacity-status extension,
// before any patient data is exchanged. One HealthcareService per organisation; its id is the organisation id.
import { OrganisationId } from '@wor/contracts';
import { fhirBaseOf, fhirSelfOf, HttpProblem, searchset, sendFhir, type FhirSettings } from '@wor/service-kit';
import type { RequestHandler } from 'express';
import type { HealthcareService } from 'fhir/r4';
import { SYSTEMS } from '../fhir/mapping';
import type { Capacity } from './capacity';

export const CAPACITY_EXTENSION =
  'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ExtensionHealthcareServiceCapacityStatus';
const CAPACITY_CODES = 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes';
const DISPLAY = { capacity: 'Capacity', 'no-capacity': 'No Capacity', waitlist: 'Waitlist' } as const;

export const toHealthcareService = (organisationId: string, capacity: Capacity): HealthcareService => {
  const wait =
    capacity.status === 'waitlist'
      ? `Wachtlijst: naar verwachting ${capacity.expectedWaitWorkingDays} werkdagen tot de eerste afspraak.`
      : capacity.status === 'no-capacity'
        ? 'Geen ruimte: een verwijzing wordt ontvangen, maar kan niet op korte termijn worden opgepakt.'
        : undefined;
  return {
    resourceType: 'HealthcareService' as const,
    id: organisationId,
    meta: { lastUpdated: new Date().toISOString() },
    text: {
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml">Welzijn op Recept, ${organisationId}: ${capacity.status}</div>`,
    },
    ...(capacity.status === 'unknown'
      ? {}
      : {
          extension: [
            {
              url: CAPACITY_EXTENSION,
              valueCodeableConcept: {
                coding: [{ system: CAPACITY_CODES, code: capacity.status, display: DISPLAY[capacity.status] }],
              },
            },
          ],
        }),
    active: true,
    providedBy: { identifier: { system: SYSTEMS.organisation, value: organisationId } },
    name: 'Welzijn op Recept',
    ...(wait ? { availabilityExceptions: wait } : {}),
  };
};

/** The handlers of the HealthcareService routes (an organisation the platform does not know has none) of the referral service's FHIR route table. */
export const healthcareServiceHandlers = (
  capacityOf: (organisationId: string) => Promise<Capacity | undefined>,
  fhir: Pick<FhirSettings, 'baseUrl'>,
): { read: RequestHandler; search: RequestHandler } => ({
  read: async (req, res) => {
    const id = OrganisationId.safeParse(req.params.id);
    const capacity = id.success ? await capacityOf(id.data) : undefined;
    if (!id.success || !capacity)
      throw new HttpProblem({ status: 404, title: 'Not Found', detail: 'No such HealthcareService.' });
    sendFhir(res, 200, toHealthcareService(id.data, capacity));
  },
  search: async (req, res) => {
    const organization = typeof req.query.organization === 'string' ? req.query.organization : '';
    // `organization` as a reference: an id, or system|value with our organisation system.
    const id = OrganisationId.safeParse(organization.replace(/^.*\|/, '').replace(/^Organization\//, ''));
    if (!id.success)
      throw new HttpProblem({
        status: 400,
        title: 'Bad Request',
        detail: 'Search HealthcareService by organization (an organisation id).',
        extra: { errors: [{ path: 'organization', message: 'an organisation id' }] },
      });
    const capacity = await capacityOf(id.data);
    const matches = capacity ? [toHealthcareService(id.data, capacity)] : [];
    sendFhir(
      res,
      200,
      searchset({ base: fhirBaseOf(req, fhir), self: fhirSelfOf(req, fhir), total: matches.length, matches }),
    );
  },
});
