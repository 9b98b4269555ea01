import { deciderSpec } from '@wor/test-support';
import { decide, evolve, initialState, type ServiceDetails, type SocialMapServiceEvent } from './service';

const spec = deciderSpec({ decide, evolve, initialState });
const now = new Date('2026-11-23T10:00:00.000Z');
const details: ServiceDetails = {
  serviceId: 'c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01',
  organizationId: '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11',
  name: 'Wandelgroep De Blijebuurt',
  description: 'Elke dinsdag samen wandelen door de wijk.',
  municipality: 'GM9999',
  districts: ['de blijebuurt'],
  dimensions: ['lichaamsfuncties', 'meedoen'],
  freeOfCharge: true,
};
const published: SocialMapServiceEvent = {
  type: 'ServicePublished',
  data: { ...details, publishedBy: 'key-user-1', publishedAt: now.toISOString() },
};

describe('Social-map service', () => {
  it('publishes a new service, recording who and when', () =>
    spec
      .given([])
      .when({ type: 'PublishService', data: { ...details, publishedBy: 'key-user-1' }, metadata: { now } })
      .then([published]));

  it('refuses to publish a service twice', () =>
    spec
      .given([published])
      .when({ type: 'PublishService', data: { ...details, publishedBy: 'key-user-1' }, metadata: { now } })
      .thenThrows((error) => expect(error.message).toMatch(/already published/)));
});
