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
