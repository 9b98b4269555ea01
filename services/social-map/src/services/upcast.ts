// Events written by the first slice (flat camelCase details) are read as today's shape, so stores
// from earlier runs keep working without rewriting history.
import { stableUuid } from '../hsds/ids';
import type { SocialMapServiceEvent } from './service';

/** ServicePublished as the first slice stored it. */
type PublishedV0 = {
  type: 'ServicePublished';
  data: {
    serviceId: string;
    organizationId: string;
    name: string;
    description: string;
    municipality: string;
    districts: string[];
    dimensions: string[];
    freeOfCharge: boolean;
    publishedAt: string;
    publishedBy: string;
  };
};
export type StoredServiceEvent = SocialMapServiceEvent | PublishedV0;

const isV0 = (event: StoredServiceEvent): event is PublishedV0 =>
  event.type === 'ServicePublished' && !('entry' in event.data);

export const upcastServiceEvent = (event: StoredServiceEvent): SocialMapServiceEvent => {
  if (!isV0(event)) return event;
  const d = event.data;
  return {
    type: 'ServicePublished',
    data: {
      serviceId: d.serviceId,
      municipality: d.municipality,
      capacity: 'available',
      publishedAt: d.publishedAt,
      publishedBy: d.publishedBy,
      entry: {
        id: d.serviceId,
        organization_id: d.organizationId,
        name: d.name,
        description: d.description,
        status: 'active',
        phones: [],
        contacts: [],
        schedules: [],
        languages: [],
        cost_options: d.freeOfCharge
          ? [{ id: stableUuid('cost_option', d.serviceId), option: 'gratis', currency: 'EUR', amount: 0 }]
          : [],
        service_at_locations: [],
        wijken: d.districts,
        dimensions: d.dimensions as never,
        referral_reasons: [],
      },
    },
  };
};
