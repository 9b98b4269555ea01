import { ERASED, type SealedPersonalData } from '@wor/privacy';
import { openHeaders, sealHeaders, subscriptionHeaderKeyOf } from './headers';
import type { PostedSubscription } from './resources';

// A key store that "seals" by base64 (the real one is tested in @wor/privacy); `erased` forgets the key.
const fakeKeys = (erased = false) => ({
  encryptFor: async <T extends object>(subjectId: string, data: T): Promise<SealedPersonalData> => ({
    subjectId,
    alg: 'A256GCM',
    iv: '',
    tag: '',
    ciphertext: Buffer.from(JSON.stringify(data)).toString('base64'),
  }),
  decrypt: async <T extends object>(sealed: SealedPersonalData) =>
    erased ? ERASED : (JSON.parse(Buffer.from(sealed.ciphertext, 'base64').toString()) as T),
});
const posted: PostedSubscription = {
  subscriptionId: '6f1c1a0e-7d4b-4c44-9a55-1f0f3a1e2b3c',
  organisationId: 'huisarts-beterschap',
  reason: 'r',
  fhirBase: 'https://api.example.nl/fhir',
  endpoint: 'https://gp.example/hook',
  headers: ['Authorization: Bearer s3cret', 'X-Practice: 42'],
  heartbeatSeconds: null,
  end: null,
  requestedAt: '2026-12-03T10:00:00.000Z',
};

describe('sealed channel.header lines', () => {
  it('keeps the names in clear and the lines sealed under the subscription’s key; opens them to send', async () => {
    const stored = await sealHeaders(fakeKeys(), posted);
    expect(stored.headerNames).toEqual(['Authorization', 'X-Practice']);
    expect(stored).not.toHaveProperty('headers');
    expect(stored.sealedHeaders!.subjectId).toBe(subscriptionHeaderKeyOf(posted.subscriptionId));
    expect(JSON.stringify(stored)).not.toContain('s3cret');
    expect(await openHeaders(fakeKeys(), stored)).toEqual(posted.headers);
  });

  it('sends nothing once the key is gone, and the clear lines of events from before sealing', async () => {
    const stored = await sealHeaders(fakeKeys(), posted);
    expect(await openHeaders(fakeKeys(true), stored)).toEqual([]);
    expect(await sealHeaders(fakeKeys(), { ...posted, headers: [] })).toMatchObject({ sealedHeaders: null });
    const { headers, ...legacy } = posted;
    expect(await openHeaders(fakeKeys(), { ...legacy, headerNames: [], sealedHeaders: null, headers })).toEqual(
      headers,
    );
  });
});
