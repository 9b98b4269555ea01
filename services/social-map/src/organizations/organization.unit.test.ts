import { IllegalStateError, NotFoundError } from '@wor/event-store';
import { deciderSpec } from '@wor/test-support';
import type { LocationEntry, OrganizationEntry } from '../hsds/input';
import { decide, evolve, initialState, type OrganizationEvent } from './organization';

const spec = deciderSpec({ decide, evolve, initialState });
const now = new Date('2026-11-23T10:00:00.000Z');
const organizationId = '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11';
const entry: OrganizationEntry = {
  id: organizationId,
  name: 'Welzijn Beterstad',
  description: 'Welzijnsorganisatie',
  phones: [],
  contacts: [],
};
const location: LocationEntry = {
  id: '7d1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11',
  location_type: 'physical',
  name: 'Buurthuis De Zon',
  addresses: [],
  accessibility: [{ id: '8d1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', description: 'rolstoeltoegankelijk' }],
  languages: [],
  phones: [],
};
const registered: OrganizationEvent = {
  type: 'OrganizationRegistered',
  data: { organizationId, municipality: 'GM9999', entry, registeredAt: now.toISOString(), registeredBy: 'ku-1' },
};
const at = now.toISOString();

describe('Organization on the map', () => {
  it('registers once', () => {
    spec
      .given([])
      .when({ type: 'RegisterOrganization', data: { municipality: 'GM9999', entry, by: 'ku-1' }, metadata: { now } })
      .then([registered]);
    spec
      .given([registered])
      .when({ type: 'RegisterOrganization', data: { municipality: 'GM9999', entry, by: 'ku-1' }, metadata: { now } })
      .thenThrows((error) => expect(error).toBeInstanceOf(IllegalStateError));
  });

  it('records changes, and nothing when nothing changed', () => {
    const changed = { ...entry, website: 'https://welzijnbeterstad.example' };
    spec
      .given([registered])
      .when({ type: 'UpdateOrganization', data: { entry: changed, by: 'ku-2' }, metadata: { now } })
      .then([
        {
          type: 'OrganizationUpdated',
          data: { organizationId, municipality: 'GM9999', entry: changed, updatedAt: at, updatedBy: 'ku-2' },
        },
      ]);
    spec
      .given([registered])
      .when({ type: 'UpdateOrganization', data: { entry, by: 'ku-2' }, metadata: { now } })
      .then([]);
  });

  it('registers a location, then updates it', () => {
    const locationRegistered: OrganizationEvent = {
      type: 'LocationRegistered',
      data: { organizationId, municipality: 'GM9999', location, registeredAt: at, registeredBy: 'ku-1' },
    };
    spec
      .given([registered])
      .when({ type: 'SaveLocation', data: { organizationId, location, by: 'ku-1' }, metadata: { now } })
      .then([locationRegistered]);
    const moved = { ...location, latitude: 52.1, longitude: 5.1 };
    spec
      .given([registered, locationRegistered])
      .when({ type: 'SaveLocation', data: { organizationId, location: moved, by: 'ku-1' }, metadata: { now } })
      .then([
        {
          type: 'LocationUpdated',
          data: { organizationId, municipality: 'GM9999', location: moved, updatedAt: at, updatedBy: 'ku-1' },
        },
      ]);
  });

  it('an unknown organisation cannot get locations', () =>
    spec
      .given([])
      .when({ type: 'SaveLocation', data: { organizationId, location, by: 'ku-1' }, metadata: { now } })
      .thenThrows((error) => expect(error).toBeInstanceOf(NotFoundError)));
});
