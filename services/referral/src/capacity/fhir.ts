// Capacity for FHIR referral sources (HL7 Gravity SDOHCC STU3 "capacity status" use case): a search on
// HealthcareService answers the organisation's Welzijn op Recept service with the capacity-status extension,
// before any patient data is exchanged. One HealthcareService per organisation; its id is the organisation id.
import { OrganisationId } from '@wor/contracts';
import type { Response, Router } from 'express';
import { z } from 'zod';
import { SYSTEMS } from '../fhir/mapping';
import type { Capacity } from './capacity';

export const CAPACITY_EXTENSION =
  'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ExtensionHealthcareServiceCapacityStatus';
const CAPACITY_CODES = 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes';
const DISPLAY = { capacity: 'Capacity', 'no-capacity': 'No Capacity', waitlist: 'Waitlist' } as const;

const FHIR_JSON = 'application/fhir+json';
const send = (res: Response, status: number, body: unknown) =>
  void res.status(status).type(FHIR_JSON).send(JSON.stringify(body));

export const toHealthcareService = (organisationId: string, capacity: Capacity) => {
  const wait =
    capacity.status === 'waitlist'
      ? `Wachtlijst: naar verwachting ${capacity.expectedWaitWorkingDays} werkdagen tot de eerste afspraak.`
      : capacity.status === 'no-capacity'
        ? 'Geen ruimte: een verwijzing wordt ontvangen, maar kan niet op korte termijn worden opgepakt.'
        : undefined;
  return {
    resourceType: 'HealthcareService',
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

const Search = z.object({ organization: OrganisationId }).loose();

export const capacityFhirRoutes =
  (capacityOf: (organisationId: string) => Promise<Capacity>) =>
  (router: Router): void => {
    router.get('/fhir/HealthcareService/:id', async (req, res) => {
      const id = OrganisationId.safeParse(req.params.id);
      if (!id.success)
        return send(res, 404, {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'not-found', diagnostics: 'No such HealthcareService.' }],
        });
      send(res, 200, toHealthcareService(id.data, await capacityOf(id.data)));
    });

    router.get('/fhir/HealthcareService', async (req, res) => {
      const query = Search.safeParse(req.query);
      if (!query.success)
        return send(res, 400, {
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: 'error',
              code: 'required',
              diagnostics: 'Search HealthcareService by organization (an organisation id).',
              expression: ['organization'],
            },
          ],
        });
      const organisationId = query.data.organization.replace(/^.*\|/, '');
      const resource = toHealthcareService(organisationId, await capacityOf(organisationId));
      const base = `${req.protocol}://${req.get('host')}/fhir`;
      send(res, 200, {
        resourceType: 'Bundle',
        type: 'searchset',
        total: 1,
        link: [
          { relation: 'self', url: `${base}/HealthcareService?organization=${encodeURIComponent(organisationId)}` },
        ],
        entry: [{ fullUrl: `${base}/HealthcareService/${organisationId}`, resource, search: { mode: 'match' } }],
      });
    });
  };
