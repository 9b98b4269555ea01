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

type EventsOf<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.infer<S[K]> }[keyof S];

/** The events each producer publishes on its topic: switch on one of these where a consumer reads one topic. */
export type ReferralIntegrationEvent = EventsOf<typeof referralEventSchemas>;
export type ConsentIntegrationEvent = EventsOf<typeof consentEventSchemas>;
export type SocialMapIntegrationEvent = EventsOf<typeof socialMapEventSchemas>;
export type AccessLogIntegrationEvent = EventsOf<typeof accessLogEventSchemas>;

const keyOf = (event: IntegrationEvent): string => `${event.type}.v${event.schemaVersion}`;
export const isReferralEvent = (event: IntegrationEvent): event is ReferralIntegrationEvent =>
  keyOf(event) in referralEventSchemas;
export const isConsentEvent = (event: IntegrationEvent): event is ConsentIntegrationEvent =>
  keyOf(event) in consentEventSchemas;
export const isSocialMapEvent = (event: IntegrationEvent): event is SocialMapIntegrationEvent =>
  keyOf(event) in socialMapEventSchemas;

/**
 * The end of an exhaustive switch over a contract union: a member nobody handles fails to compile here. At run
 * time it cannot be reached with a parsed event (parseIntegrationEvent knows only the union's members).
 */
export const assertNever = (value: never): never => {
  throw new Error(`Unhandled union member ${String((value as { type?: unknown } | null)?.type ?? typeof value)}`);
};

export type IntegrationEventOfType<T extends IntegrationEvent['type']> = Extract<IntegrationEvent, { type: T }>;

export type ParseResult = { ok: true; event: IntegrationEvent } | { ok: false; reason: string };

const describe = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/** The schema its `type` and `schemaVersion` name, if they name one. */
const schemaNamedBy = (json: unknown): z.ZodType<IntegrationEvent> | undefined => {
  if (typeof json !== 'object' || json === null) return undefined;
  const { type, schemaVersion } = json as { type?: unknown; schemaVersion?: unknown };
  if (typeof type !== 'string' || typeof schemaVersion !== 'number') return undefined;
  const key = `${type}.v${schemaVersion}`;
  return Object.hasOwn(IntegrationEventSchemas, key)
    ? (IntegrationEventSchemas as Record<string, z.ZodType<IntegrationEvent>>)[key]
    : undefined;
};

/** Validates an incoming integration event: the envelope, then its type's schema. Never throws. */
export const parseIntegrationEvent = (json: unknown): ParseResult => {
  // Each type's schema checks the whole envelope as well (defineEvent), so a valid event needs only that
  // one parse; the envelope is parsed on its own only to name what is wrong with an invalid one.
  const named = schemaNamedBy(json)?.safeParse(json);
  if (named?.success) return { ok: true, event: named.data };
  const envelope = AnyEnvelope.safeParse(json);
  if (!envelope.success) return { ok: false, reason: `invalid envelope: ${describe(envelope.error)}` };
  const key = `${envelope.data.type}.v${envelope.data.schemaVersion}`;
  const schema = (IntegrationEventSchemas as Record<string, z.ZodType<IntegrationEvent>>)[key];
  if (!schema) return { ok: false, reason: `unknown event type or version: ${key}` };
  const event = named ?? schema.safeParse(json);
  return event.success
    ? { ok: true, event: event.data }
    : { ok: false, reason: `invalid ${key}: ${describe(event.error)}` };
};
