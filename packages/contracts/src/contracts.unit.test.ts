import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fieldPaths } from './fields';
import { exampleReferralRequested } from './examples';
import {
  assertNever,
  IntegrationEventSchemas,
  isConsentEvent,
  isReferralEvent,
  isSocialMapEvent,
  parseIntegrationEvent,
  type IntegrationEvent,
} from './registry';

// Integration events cross Kafka, so they must never carry personal data (AVG data minimisation).
// A field whose name suggests a person's name, BSN, birth date, address, phone, e-mail or free text
// fails this test. Fields about organisations may be allowed here, each with its reason.
const forbidden = [
  /(^|\.)(first|last|given|family|full|patient|person|client|middle)?name$/i,
  /bsn|burgerservicenummer|ssn|nationalid/i,
  /birth|dob|geboorte/i,
  /address|street|straat|postal|postcode|zipcode|housenumber|huisnummer|city|woonplaats/i,
  /phone|telefoon|mobile|mobiel/i,
  /e-?mail/i,
  /note|comment|remark|freetext|text|description|opmerking|toelichting|narrative|story/i,
];

const allowed: Record<string, string> = {
  'ServicePublished.v1 data.name': "the public name of an organisation's service, not a person",
};

describe('integration event contracts', () => {
  describe.each(Object.entries(IntegrationEventSchemas))('%s', (key, schema) => {
    it('has no field that could carry personal data', () => {
      const offending = fieldPaths(schema).filter(
        (path) =>
          forbidden.some((pattern) => pattern.test(path.split('.').pop() ?? path)) && !allowed[`${key} ${path}`],
      );
      expect(offending).toEqual([]);
    });

    it('rejects unknown fields, so nothing can be smuggled along', () => {
      const probe = { eventId: randomUUID(), patientName: 'Jan Jansen', data: { bsn: '123456782' } };
      const result = schema.safeParse(probe);
      expect(result.success).toBe(false);
      const codes = result.error?.issues.map((i) => i.code) ?? [];
      expect(codes).toContain('unrecognized_keys');
    });
  });

  it('the audit itself catches a field for personal data', () => {
    const bad = z.object({
      data: z.object({ patientName: z.string(), birthDate: z.string(), contact: z.object({ email: z.string() }) }),
    });
    const offending = fieldPaths(bad).filter((path) => forbidden.some((p) => p.test(path.split('.').pop() ?? path)));
    expect(offending).toEqual(['data.patientName', 'data.birthDate', 'data.contact.email']);
  });
});

describe('parseIntegrationEvent', () => {
  const referralRequested = exampleReferralRequested();

  it('accepts a valid event of a known type', () => {
    const result = parseIntegrationEvent(referralRequested);
    expect(result).toEqual({ ok: true, event: referralRequested });
  });

  it('names an unknown type or version', () => {
    expect(parseIntegrationEvent({ ...referralRequested, schemaVersion: 9 })).toEqual({
      ok: false,
      reason: 'unknown event type or version: ReferralRequested.v9',
    });
  });

  it('names the invalid field paths', () => {
    const result = parseIntegrationEvent({ ...referralRequested, data: { ...referralRequested.data, reasons: [] } });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^invalid ReferralRequested\.v1: data\.reasons/);
  });

  it('rejects a broken envelope', () => {
    const result = parseIntegrationEvent({ ...referralRequested, subjectId: '123456782' });
    expect(!result.ok && result.reason).toMatch(/^invalid envelope: subjectId/);
  });

  it('rejects personal data smuggled into the payload', () => {
    const result = parseIntegrationEvent({
      ...referralRequested,
      data: { ...referralRequested.data, patientName: 'Jan' },
    });
    expect(result.ok).toBe(false);
  });
});

describe('per-producer unions', () => {
  const asEvent = (key: string) => {
    const [type, version] = key.split('.v');
    return { type, schemaVersion: Number(version) } as unknown as IntegrationEvent;
  };

  it('sorts every registered event into exactly one producer', () => {
    for (const key of Object.keys(IntegrationEventSchemas)) {
      const event = asEvent(key);
      const producers = [isReferralEvent, isConsentEvent, isSocialMapEvent].filter((is) => is(event));
      expect(producers.length).toBeLessThanOrEqual(1);
    }
    expect(isConsentEvent(asEvent('ConsentRecorded.v1'))).toBe(true);
    expect(isConsentEvent(asEvent('ReferralRequested.v1'))).toBe(false);
    expect(isSocialMapEvent(asEvent('ServicePublished.v1'))).toBe(true);
  });

  it('assertNever refuses what no case handled, naming only its type', () => {
    expect(() => assertNever({ type: 'Unheard', data: { name: 'Jansen' } } as never)).toThrow(
      /^Unhandled union member Unheard$/,
    );
  });
});
