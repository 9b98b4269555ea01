import { randomBytes } from 'node:crypto';
import { gcmOpen, gcmSeal, generateMasterKey, masterKeyFrom, PersonalDataCryptoError } from './sealed';

describe('masterKeyFrom', () => {
  it('accepts base64 of 32 bytes', () => {
    const text = generateMasterKey();
    expect(masterKeyFrom(text).equals(Buffer.from(text, 'base64'))).toBe(true);
  });

  it('names the problem without echoing the value', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => masterKeyFrom(undefined, 'WOR_MASTER_KEY')).toThrow('WOR_MASTER_KEY is not set');
    expect(() => masterKeyFrom('', 'WOR_MASTER_KEY')).toThrow(/not set/);
    expect(() => masterKeyFrom('not base64 at all!', 'WOR_MASTER_KEY')).toThrow(/not valid base64/);
    expect(() => masterKeyFrom(short)).toThrow(/32 bytes/);
    try {
      masterKeyFrom(short);
    } catch (e) {
      expect((e as Error).message).not.toContain(short);
    }
  });
});

describe('AES-256-GCM box', () => {
  const key = randomBytes(32);
  it('round-trips and binds the associated data', () => {
    const box = gcmSeal(key, Buffer.from('hello'), 'aad-1');
    expect(gcmOpen(key, box, 'aad-1', 'x').toString()).toBe('hello');
    expect(() => gcmOpen(key, box, 'aad-2', 'x')).toThrow(PersonalDataCryptoError);
    expect(() => gcmOpen(randomBytes(32), box, 'aad-1', 'x')).toThrow(PersonalDataCryptoError);
  });
});
