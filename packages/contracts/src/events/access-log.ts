import { z } from 'zod';
import { defineEvent } from '../envelope';
import { AccessPurpose, DataCategory, OrganisationId } from '../vocabulary';

/** NEN 7513 action on personal data: create, read, update, delete, execute. */
export const AccessAction = z.enum(['C', 'R', 'U', 'D', 'E']);
export type AccessAction = z.infer<typeof AccessAction>;

/** A user id of the platform (the token's subject): who acted, never whom it was about. */
const UserId = z.string().min(1).max(100);

/**
 * One access to personal data, allowed or denied (NEN 7513). Every service emits these; the consent
 * service keeps them in its hash-chained access log. The patient is the envelope's pseudonymous
 * `subjectId`; the event's own `eventId` is the log entry's id.
 */
export const AccessLoggedV1 = defineEvent(
  'AccessLogged',
  1,
  z.object({
    action: AccessAction,
    accessedAt: z.iso.datetime({ offset: true }),
    userId: UserId,
    /** The responsible user on whose behalf the user acted, when not the user themself. */
    onBehalfOf: UserId.nullable(),
    role: z.string().min(1).max(50),
    organisationId: OrganisationId.nullable(),
    purpose: AccessPurpose,
    dataCategories: z.array(DataCategory).max(10),
    resource: z.object({ type: z.string().min(1).max(50), id: z.string().min(1).max(100) }).strict(),
    outcome: z.enum(['allowed', 'denied']),
    /** The checks made and their results. */
    checks: z
      .object({
        authorisation: z.boolean(),
        consent: z.boolean(),
        agreement: z.boolean(),
        emergencyAccess: z.boolean(),
      })
      .strict(),
    /** Under which consent and data-sharing agreement the access happened, when known. */
    consentId: z.uuid().nullable(),
    agreementId: z.uuid().nullable(),
    /** Why access was denied: a sentence about the rule, never about the person. */
    reason: z.string().max(300).nullable(),
  }),
);
export type AccessLoggedV1 = z.infer<typeof AccessLoggedV1>;

export const accessLogEventSchemas = { 'AccessLogged.v1': AccessLoggedV1 } as const;
