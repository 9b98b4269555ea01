import { z } from 'zod';
import { defineEvent } from '../envelope';
import { PositiveHealthDimension } from '../vocabulary';

/** A social-map service (HSDS `service`) was published and can be linked to referrals. */
export const ServicePublishedV1 = defineEvent(
  'ServicePublished',
  1,
  z.object({
    serviceId: z.uuid(),
    organizationId: z.uuid(),
    /** The service's public name (an organisation's offer, not a person). */
    name: z.string().min(1).max(200),
    dimensions: z.array(PositiveHealthDimension).max(6),
    publishedAt: z.iso.datetime({ offset: true }),
  }),
);
export type ServicePublishedV1 = z.infer<typeof ServicePublishedV1>;

/** A service was retired from the map: it can no longer be linked to referrals. */
export const ServiceRetiredV1 = defineEvent(
  'ServiceRetired',
  1,
  z.object({ serviceId: z.uuid(), retiredAt: z.iso.datetime({ offset: true }) }),
);
export type ServiceRetiredV1 = z.infer<typeof ServiceRetiredV1>;

export const socialMapEventSchemas = {
  'ServicePublished.v1': ServicePublishedV1,
  'ServiceRetired.v1': ServiceRetiredV1,
} as const;
