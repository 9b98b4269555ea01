import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { freshSchema, type TestSchema } from '@wor/test-support';
import { pseudonymise } from './pseudonym';
import { PersonalDataCryptoError } from './sealed';
import {
  createSubjectKeyStore,
  ERASED,
  isErased,
  migrateSubjectKeyStore,
  type SealedPersonalData,
  type SubjectKeyStore,
} from './subject-key-store';

const person = { name: 'Jan Jansen', birthDate: '1950-03-04', phone: '0612345678' };

describe('subject key store (PostgreSQL)', () => {
  let db: TestSchema;
  let pool: Pool;
  let masterKey: Buffer;
  let store: SubjectKeyStore;
  const subject = (n: number) => pseudonymise(`id-${n}`, 'test-secret');

  beforeEach(async () => {
    db = await freshSchema('privacy');
    pool = new Pool({ connectionString: db.databaseUrl, max: 8 });
    await migrateSubjectKeyStore(pool, db.schema);
    masterKey = randomBytes(32);
    store = createSubjectKeyStore({ pool, schema: db.schema, masterKey });
  });

  afterEach(async () => {
    await pool.end();
    await db.drop();
  });

  const wrappedKeys = async () =>
    (await pool.query<{ subject_id: string; wrapped_key: Buffer }>(`SELECT * FROM "${db.schema}".subject_keys`)).rows;

  it('round-trips personal data; the sealed form is JSON-safe and holds no plaintext', async () => {
    const sealed = await store.encryptFor(subject(1), person);
    expect(sealed).toMatchObject({ subjectId: subject(1), alg: 'A256GCM' });
    const json = JSON.stringify(sealed);
    expect(json).not.toContain('Jan');
    expect(json).not.toContain('1950');
    const parsed = JSON.parse(json) as SealedPersonalData;
    expect(await store.decrypt(parsed)).toEqual(person);
    // The key is stored wrapped, not raw.
    const [row] = await wrappedKeys();
    expect(row?.wrapped_key.length).toBe(12 + 16 + 32);
  });

  it('reuses one key per subject and gives different subjects different keys', async () => {
    const a1 = await store.encryptFor(subject(1), { n: 1 });
    const a2 = await store.encryptFor(subject(1), { n: 2 });
    await store.encryptFor(subject(2), { n: 3 });
    expect(a1.iv).not.toBe(a2.iv);
    const rows = await wrappedKeys();
    expect(rows).toHaveLength(2);
    // Unwrapped keys differ: a ciphertext of subject 1 relabelled as subject 2 does not open.
    await expect(store.decrypt({ ...a1, subjectId: subject(2) })).rejects.toThrow(PersonalDataCryptoError);
    expect(await store.decrypt(a2)).toEqual({ n: 2 });
  });

  it('concurrent first use for one subject yields one key and every ciphertext decrypts', async () => {
    const otherPool = new Pool({ connectionString: db.databaseUrl, max: 8 });
    const other = createSubjectKeyStore({ pool: otherPool, schema: db.schema, masterKey });
    try {
      const sealed = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? store : other).encryptFor(subject(7), { i })),
      );
      expect(await wrappedKeys()).toHaveLength(1);
      const opened = await Promise.all(sealed.map((s) => store.decrypt(s)));
      expect(opened).toEqual(Array.from({ length: 12 }, (_, i) => ({ i })));
    } finally {
      await otherPool.end();
    }
  });

  it('erase shreds the key: decrypt returns the erased marker, not an error', async () => {
    const sealed = await store.encryptFor(subject(1), person);
    const kept = await store.encryptFor(subject(2), { keep: true });
    expect(await store.hasKey(subject(1))).toBe(true);
    expect(await store.erase(subject(1))).toBe(true);
    expect(await store.erase(subject(1))).toBe(false);
    expect(await store.hasKey(subject(1))).toBe(false);
    const result = await store.decrypt(sealed);
    expect(result).toEqual(ERASED);
    expect(isErased(result)).toBe(true);
    expect(await store.decrypt(kept)).toEqual({ keep: true });
  });

  it('tampered ciphertext, tag or iv throws PersonalDataCryptoError', async () => {
    const sealed = await store.encryptFor(subject(1), person);
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64');
    };
    await expect(store.decrypt({ ...sealed, ciphertext: flip(sealed.ciphertext) })).rejects.toThrow(
      PersonalDataCryptoError,
    );
    await expect(store.decrypt({ ...sealed, tag: flip(sealed.tag) })).rejects.toThrow(PersonalDataCryptoError);
    await expect(store.decrypt({ ...sealed, iv: flip(sealed.iv) })).rejects.toThrow(PersonalDataCryptoError);
    await expect(store.decrypt({ ...sealed, tag: '' })).rejects.toThrow(PersonalDataCryptoError);
    expect(await store.decrypt(sealed)).toEqual(person);
  });

  it('a different master key cannot unwrap the subject keys', async () => {
    const sealed = await store.encryptFor(subject(1), person);
    const wrong = createSubjectKeyStore({ pool, schema: db.schema, masterKey: randomBytes(32) });
    await expect(wrong.decrypt(sealed)).rejects.toThrow(PersonalDataCryptoError);
  });

  it('migration is idempotent', async () => {
    await migrateSubjectKeyStore(pool, db.schema);
    await Promise.all([migrateSubjectKeyStore(pool, db.schema), migrateSubjectKeyStore(pool, db.schema)]);
    expect(await wrappedKeys()).toEqual([]);
  });

  describe('KEK rotation', () => {
    it('re-wraps every key with the new KEK; data sealed before stays readable, the old KEK is then no longer needed', async () => {
      const sealed = await Promise.all([1, 2, 3].map((n) => store.encryptFor(subject(n), { ...person, n })));
      const newKek = randomBytes(32);
      const rotating = createSubjectKeyStore({
        pool,
        schema: db.schema,
        masterKey: newKek,
        previousMasterKeys: [masterKey],
      });
      expect(await rotating.decrypt(sealed[0]!)).toEqual({ ...person, n: 1 }); // readable before rotation
      const before = await wrappedKeys();

      expect(await rotating.rotate({ batchSize: 2 })).toBe(3);
      expect(await rotating.rotate()).toBe(0); // nothing left to do

      const after = await wrappedKeys();
      expect(after.map((r) => r.wrapped_key.toString('hex'))).not.toEqual(
        expect.arrayContaining(before.map((r) => r.wrapped_key.toString('hex'))),
      );
      const onlyNew = createSubjectKeyStore({ pool, schema: db.schema, masterKey: newKek });
      for (const [i, s] of sealed.entries()) expect(await onlyNew.decrypt(s)).toEqual({ ...person, n: i + 1 });
      // The old KEK alone can no longer unwrap anything.
      await expect(store.decrypt(sealed[0]!)).rejects.toThrow(PersonalDataCryptoError);
      const ids = (await pool.query<{ kek_id: string }>(`SELECT DISTINCT kek_id FROM "${db.schema}".subject_keys`))
        .rows;
      expect(ids).toEqual([{ kek_id: onlyNew.currentKekId }]);
    });

    it('erasure still wins after rotation', async () => {
      const sealed = await store.encryptFor(subject(9), person);
      const rotating = createSubjectKeyStore({
        pool,
        schema: db.schema,
        masterKey: randomBytes(32),
        previousMasterKeys: [masterKey],
      });
      await rotating.rotate();
      expect(await rotating.erase(subject(9))).toBe(true);
      expect(await rotating.decrypt(sealed)).toEqual(ERASED);
    });
  });
});
