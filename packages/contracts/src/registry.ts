import { z } from 'zod';
import { AnyEnvelope } from './envelope';
import { accessLogEventSchemas } from './events/access-log';
import { consentEventSchemas } from './events/consent';
import { referralEventSchemas } from './events/referral';
import { socialMapEventSchemas } from './events/social-map';

/** Every integration event schema, keyed by `<type>.v<schemaVersion>`; each producer keeps its own list. */
export const IntegrationEventSchemas = {
  ...referralEventSchemas,
  ...consentEventSchemas,
  ...socialMapEventSchemas,
  ...accessLogEventSchemas,
} as const;

export type IntegrationEvent = {
  [K in keyof typeof IntegrationEventSchemas]: z.infer<(typeof IntegrationEventSchemas)[K]>;
}[keyof typeof IntegrationEventSchemas];

export type IntegrationEventOfType<T extends IntegrationEvent['type']> = Extract<IntegrationEvent, { type: T }>;

export type ParseResult = { ok: true; event: IntegrationEvent } | { ok: false; reason: string };

const describe = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/** Validates an incoming integration event: the envelope, then its type's schema. Never throws. */
export const parseIntegrationEvent = (json: unknown): ParseResult => {
  const envelope = AnyEnvelope.safeParse(json);
  if (!envelope.success) return { ok: false, reason: `invalid envelope: ${describe(envelope.error)}` };
  const key = `${envelope.data.type}.v${envelope.data.schemaVersion}`;
  const schema = (IntegrationEventSchemas as Record<string, z.ZodType<IntegrationEvent>>)[key];
  if (!schema) return { ok: false, reason: `unknown event type or version: ${key}` };
  const event = schema.safeParse(json);
  return event.success
    ? { ok: true, event: event.data }
    : { ok: false, reason: `invalid ${key}: ${describe(event.error)}` };
};
