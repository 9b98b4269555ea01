// Callers and entries the integration tests share.
import { randomUUID } from 'node:crypto';
import type { DevTokenClaims } from '@wor/service-kit';

export const municipal: DevTokenClaims = {
  sub: 'ku-beterstad',
  roles: ['key-user'],
  municipality: 'GM9999',
  municipalAccount: true,
};
export const colleague: DevTokenClaims = { sub: 'ku-collega', roles: ['key-user'], municipality: 'GM9999' };
export const otherMunicipality: DevTokenClaims = {
  sub: 'ku-elders',
  roles: ['key-user'],
  municipality: 'GM0001',
  municipalAccount: true,
};
export const coach: DevTokenClaims = { sub: 'coach-anna', roles: ['coach'], org: 'welzijn-beterstad' };

export const organizationBody = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  name: 'Welzijn Beterstad',
  description: 'Welzijnsorganisatie van Beterstad.',
  email: 'info@welzijnbeterstad.example',
  website: 'https://welzijnbeterstad.example',
  phones: [{ number: '0301234567', type: 'voice' }],
  ...overrides,
});

export const locationBody = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  location_type: 'physical',
  name: 'Buurthuis De Zon',
  latitude: 52.09,
  longitude: 5.12,
  addresses: [
    {
      address_1: 'Zonnelaan 1',
      city: 'Beterstad',
      state_province: 'Utrecht',
      postal_code: '3500 AA',
      country: 'NL',
      address_type: 'physical',
    },
  ],
  accessibility: [{ description: 'Rolstoeltoegankelijk, invalidentoilet' }],
  languages: [{ code: 'nl', name: 'Nederlands' }],
  ...overrides,
});

export const serviceBody = (organizationId: string, overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  organization_id: organizationId,
  name: 'Wandelgroep De Blijebuurt',
  description: 'Elke dinsdagochtend samen wandelen door de wijk, in je eigen tempo.',
  email: 'wandelen@welzijnbeterstad.example',
  url: 'https://welzijnbeterstad.example/wandelen',
  minimum_age: 18,
  phones: [{ number: '0301234568' }],
  contacts: [{ title: 'Coördinator vrijwilligers', department: 'Bewegen', phones: [{ number: '0301234569' }] }],
  schedules: [{ freq: 'WEEKLY', byday: 'TU', opens_at: '10:00', closes_at: '11:30', description: 'Dinsdagochtend' }],
  languages: [{ code: 'nl', name: 'Nederlands' }],
  cost_options: [{ option: 'Gratis', amount: 0, currency: 'EUR' }],
  wijken: ['De Blijebuurt'],
  dimensions: ['lichaamsfuncties', 'meedoen'],
  referral_reasons: ['eenzaamheid', 'leefstijl-bewegen'],
  ...overrides,
});
