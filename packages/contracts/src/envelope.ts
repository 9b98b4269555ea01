import { z } from 'zod';

/** Services that produce integration events. */
export const Producer = z.enum(['referral', 'consent', 'social-map', 'reporting']);
export type Producer = z.infer<typeof Producer>;

/** CBS municipality code, e.g. GM0363. */
export const MunicipalityCode = z.string().regex(/^GM\d{4}$/, 'a CBS municipality code like GM0363');

/**
 * Pseudonymous subject id: a keyed hash of the person's identifier, never the identifier itself.
 * Lets services relate facts about one person without knowing who it is.
 */
export const SubjectId = z.string().regex(/^sub_[0-9a-f]{32}$/, 'a pseudonymous subject id');

/** Common envelope of every integration event on Kafka. */
export const EnvelopeFields = {
  eventId: z.uuid(),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  producer: Producer,
  correlationId: z.string().min(1).max(100).optional(),
  causationId: z.string().min(1).max(100).optional(),
  municipality: MunicipalityCode.nullable(),
  subjectId: SubjectId.nullable(),
};

/** The envelope with its payload still unchecked: what a consumer can parse before it knows the type. */
export const AnyEnvelope = z.object({ ...EnvelopeFields, data: z.unknown() }).strict();
export type AnyEnvelope = z.infer<typeof AnyEnvelope>;

/** Builds the schema of one integration event type/version. */
export const defineEvent = <T extends string, V extends number, S extends z.ZodRawShape>(
  type: T,
  schemaVersion: V,
  data: z.ZodObject<S>,
) =>
  z
    .object({
      ...EnvelopeFields,
      type: z.literal(type),
      schemaVersion: z.literal(schemaVersion),
      // strictObject over the shape keeps the payload's type in the emitted declarations.
      data: z.strictObject(data.shape),
    })
    .strict();
