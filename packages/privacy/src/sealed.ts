// AES-256-GCM primitives shared by key wrapping and data sealing.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Decryption failed: wrong key, or the data was altered. Never a sign of erasure. */
export class PersonalDataCryptoError extends Error {
  override readonly name = 'PersonalDataCryptoError';
}

export type GcmBox = { iv: Buffer; tag: Buffer; ciphertext: Buffer };

export const gcmSeal = (key: Buffer, plaintext: Buffer, aad: string): GcmBox => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
};

export const gcmOpen = (key: Buffer, box: GcmBox, aad: string, what: string): Buffer => {
  if (box.iv.length !== IV_BYTES || box.tag.length !== TAG_BYTES)
    throw new PersonalDataCryptoError(`${what}: malformed iv or tag`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, box.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(box.tag);
    return Buffer.concat([decipher.update(box.ciphertext), decipher.final()]);
  } catch {
    throw new PersonalDataCryptoError(`${what}: authentication failed (wrong key or altered data)`);
  }
};

/** Stored form of a wrapped key: iv ‖ tag ‖ ciphertext. */
export const packBox = (box: GcmBox): Buffer => Buffer.concat([box.iv, box.tag, box.ciphertext]);
export const unpackBox = (packed: Buffer): GcmBox => ({
  iv: packed.subarray(0, IV_BYTES),
  tag: packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
  ciphertext: packed.subarray(IV_BYTES + TAG_BYTES),
});

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The master key from its env value (base64 of 32 bytes). The error names the problem, never the value.
 * Generate one with `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`.
 */
export const masterKeyFrom = (envValue: string | undefined, variable = 'the master key'): Buffer => {
  if (envValue === undefined || envValue.trim() === '') throw new Error(`${variable} is not set`);
  const text = envValue.trim();
  if (!BASE64.test(text)) throw new Error(`${variable} is not valid base64`);
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES)
    throw new Error(`${variable} must be ${KEY_BYTES} bytes (base64), got ${key.length} bytes`);
  return key;
};

export const generateMasterKey = (): string => randomBytes(KEY_BYTES).toString('base64');
