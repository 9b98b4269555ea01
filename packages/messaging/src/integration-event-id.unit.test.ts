import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { z } from 'zod';
import { integrationEventId } from './integration-event-id';

describe('integrationEventId', () => {
  it('is deterministic: the same domain event and index give the same id', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.nat(1000), (domainEventId, index) => {
        expect(integrationEventId(domainEventId, index)).toBe(integrationEventId(domainEventId, index));
      }),
    );
  });

  it('differs per index and per domain event', () => {
    const a = randomUUID();
    const b = randomUUID();
    const ids = new Set([0, 1, 2].flatMap((i) => [integrationEventId(a, i), integrationEventId(b, i)]));
    expect(ids.size).toBe(6);
  });

  it('is a version 5, RFC 4122 UUID that zod accepts', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), (domainEventId, index) => {
        const id = integrationEventId(domainEventId, index);
        expect(z.uuid().safeParse(id).success).toBe(true);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }),
    );
  });

  it('is stable across releases (persisted ids must not change)', () => {
    expect(integrationEventId('00000000-0000-4000-8000-000000000000', 0)).toMatchInlineSnapshot(
      `"110b1e30-4a85-5505-9329-ae7daa8d1db3"`,
    );
  });

  it('rejects a negative or fractional index', () => {
    expect(() => integrationEventId('x', -1)).toThrow(RangeError);
    expect(() => integrationEventId('x', 1.5)).toThrow(RangeError);
  });
});
