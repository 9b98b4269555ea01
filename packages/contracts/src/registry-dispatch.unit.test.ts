// parseIntegrationEvent goes straight to the schema an event's type and version name (which checks the
// envelope too) and parses the envelope on its own only for an invalid event: the same answers as
// "the envelope first, then the type's schema", for valid and invalid input alike.
import type { z } from 'zod';
import { AnyEnvelope } from './envelope';
import { exampleCapacityPlanned, exampleReferralRequested } from './examples';
import { type IntegrationEvent, IntegrationEventSchemas, parseIntegrationEvent, type ParseResult } from './registry';

const describeError = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/** The two-step parse as it was: the reference. */
const envelopeFirst = (json: unknown): ParseResult => {
  const envelope = AnyEnvelope.safeParse(json);
  if (!envelope.success) return { ok: false, reason: `invalid envelope: ${describeError(envelope.error)}` };
  const key = `${envelope.data.type}.v${envelope.data.schemaVersion}`;
  const schema = (IntegrationEventSchemas as Record<string, z.ZodType<IntegrationEvent>>)[key];
  if (!schema) return { ok: false, reason: `unknown event type or version: ${key}` };
  const event = schema.safeParse(json);
  return event.success
    ? { ok: true, event: event.data }
    : { ok: false, reason: `invalid ${key}: ${describeError(event.error)}` };
};

const requested = exampleReferralRequested();
const planned = exampleCapacityPlanned();
const inputs: Record<string, unknown> = {
  'a valid request': requested,
  'a valid plan': planned,
  'a bad event id': { ...requested, eventId: 'nope' },
  'a bad municipality': { ...requested, municipality: 'Utrecht' },
  'an extra envelope field': { ...requested, extra: 1 },
  'a bad payload': { ...requested, data: { ...requested.data, referralId: 'x' } },
  'a bad payload and envelope': { ...requested, eventId: 'nope', data: {} },
  'an unknown type': { ...requested, type: 'ReferralTeleported' },
  'an unknown version': { ...requested, schemaVersion: 9 },
  'a version as text': { ...requested, schemaVersion: '1' },
  'a type that is not text': { ...requested, type: ['ReferralRequested'] },
  'a prototype key as type': { ...requested, type: 'constructor', schemaVersion: undefined },
  'no data': { ...requested, data: undefined },
  null: null,
  'an array': [requested],
  'a number': 42,
};

describe('parseIntegrationEvent', () => {
  it.each(Object.keys(inputs))('answers %s as the envelope-first parse does', (name) => {
    expect(parseIntegrationEvent(inputs[name])).toEqual(envelopeFirst(inputs[name]));
  });

  it('parses a valid event once: its type schema checks the envelope, the envelope schema is not consulted', () => {
    const envelope = jest.spyOn(AnyEnvelope, 'safeParse');
    try {
      expect(parseIntegrationEvent(requested)).toEqual({ ok: true, event: requested });
      expect(envelope).not.toHaveBeenCalled();
      expect(parseIntegrationEvent({ ...requested, eventId: 'nope' }).ok).toBe(false);
      expect(envelope).toHaveBeenCalledTimes(1);
    } finally {
      envelope.mockRestore();
    }
  });
});
