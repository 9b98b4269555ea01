import { z } from 'zod';
import { defineEvent } from '../envelope';
import { SubjectId } from '../envelope';
import { PositiveHealthDimension, ReferralReason } from '../vocabulary';

// Social-map events carry ids, codes and dates only. An entry's names, descriptions and its public
// contact data (phones, e-mail, addresses) stay inside the social-map service and its HSDS API; key-users
// appear only as pseudonymous subject ids.

const at = z.iso.datetime({ offset: true });

/** Capacity of a service (Gravity IG style): can a coach link someone to it now? */
export const CapacityStatus = z.enum(['available', 'limited', 'full']);
export type CapacityStatus = z.infer<typeof CapacityStatus>;

/** HSDS 3.0 `service.status`. */
export const ServiceStatus = z.enum(['active', 'inactive', 'defunct', 'temporarily closed']);
export type ServiceStatus = z.infer<typeof ServiceStatus>;

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

/** A published service changed; consumers refresh its categories and status (its texts stay on the map). */
export const ServiceUpdatedV1 = defineEvent(
  'ServiceUpdated',
  1,
  z.object({
    serviceId: z.uuid(),
    organizationId: z.uuid(),
    status: ServiceStatus,
    dimensions: z.array(PositiveHealthDimension).max(6),
    referralReasons: z.array(ReferralReason).max(10),
    updatedAt: at,
  }),
);
export type ServiceUpdatedV1 = z.infer<typeof ServiceUpdatedV1>;

/** A service's capacity changed (e.g. a group is full), so coaches look elsewhere. (`availability`: 'capacity' trips the PII audit's /city/.) */
export const CapacityChangedV1 = defineEvent(
  'CapacityChanged',
  1,
  z.object({ serviceId: z.uuid(), availability: CapacityStatus, changedAt: at }),
);
export type CapacityChangedV1 = z.infer<typeof CapacityChangedV1>;

/** An organisation (HSDS `organization`) joined a municipality's map. */
export const OrganizationRegisteredV1 = defineEvent(
  'OrganizationRegistered',
  1,
  z.object({ organizationId: z.uuid(), registeredAt: at }),
);
export type OrganizationRegisteredV1 = z.infer<typeof OrganizationRegisteredV1>;

/** A municipality's key-user appointed a colleague key-user (pseudonymous ids; municipality in the envelope). */
export const KeyUserAppointedV1 = defineEvent(
  'KeyUserAppointed',
  1,
  z.object({ keyUserId: SubjectId, appointedBy: SubjectId, appointedAt: at }),
);
export type KeyUserAppointedV1 = z.infer<typeof KeyUserAppointedV1>;

/** A colleague key-user's appointment was revoked. */
export const KeyUserRevokedV1 = defineEvent(
  'KeyUserRevoked',
  1,
  z.object({ keyUserId: SubjectId, revokedBy: SubjectId, revokedAt: at }),
);
export type KeyUserRevokedV1 = z.infer<typeof KeyUserRevokedV1>;

export const socialMapEventSchemas = {
  'ServicePublished.v1': ServicePublishedV1,
  'ServiceUpdated.v1': ServiceUpdatedV1,
  'CapacityChanged.v1': CapacityChangedV1,
  'ServiceRetired.v1': ServiceRetiredV1,
  'OrganizationRegistered.v1': OrganizationRegisteredV1,
  'KeyUserAppointed.v1': KeyUserAppointedV1,
  'KeyUserRevoked.v1': KeyUserRevokedV1,
} as const;
