import { createHash } from 'node:crypto';

// Fixed namespace (a random v4 UUID chosen once) so ids from this function never collide with
// UUID v5 ids other software derives from the same names.
const NAMESPACE = Buffer.from('6f1d3c2a8b7e4f0a9c5d2e1b3a4f6c7d', 'hex');

/**
 * Deterministic id of the `index`-th integration event mapped from one domain event.
 * The relay may publish a batch again after a crash; because the mapper derives the same ids,
 * consumers recognise the copies as duplicates. UUID version 5 layout (SHA-1 of namespace + name).
 */
export const integrationEventId = (domainEventId: string, index: number): string => {
  if (!Number.isInteger(index) || index < 0) throw new RangeError('index must be a non-negative integer');
  const hash = createHash('sha1').update(NAMESPACE).update(`${domainEventId}\u0000${index}`).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
