import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { freshSchema, type TestSchema } from '@wor/test-support';
import { kekId, keyringPath, newKek, openKeyringFile } from './keyring';
import { pseudonymise } from './pseudonym';
import { gcmOpen, gcmSeal, packBox, PersonalDataCryptoError, unpackBox } from './sealed';
import {
  ERASED,
  isErased,
  migrateSubjectKeyStore,
  openSubjectKeyStore,
  type SealedPersonalData,
  type SubjectKeyStore,
  type SubjectKeyStoreOptions,
} from './subject-key-store';

const person = { name: 'Jan Jansen', birthDate: '1950-03-04', phone: '0612345678' };

describe('subject key store (PostgreSQL, keyring file)', () => {
  let db: TestSchema;
  let pool: Pool;
  let masterKey: Buffer;
  let keyringDir: string;
  let store: SubjectKeyStore;
  const subject = (n: number) => pseudonymise(`id-${n}`, 'test-secret');
  const open = (over: Partial<SubjectKeyStoreOptions> = {}) =>
    openSubjectKeyStore({ pool, schema: db.schema, masterKey, keyringDir, ...over });
  /** Every KEK in the keyring file, opened as an attacker holding the master key would. */
  const keksInFile = (master = masterKey) => [
    ...openKeyringFile({ path: keyringPath(keyringDir, db.schema), masterKey: master })
      .read()!
      .keks.values(),
  ];

  beforeEach(async () => {
    db = await freshSchema('privacy');
    pool = new Pool({ connectionString: db.databaseUrl, max: 8 });
    await migrateSubjectKeyStore(pool, db.schema);
    masterKey = randomBytes(32);
    keyringDir = mkdtempSync(join(tmpdir(), 'keyring-test-'));
    store = await open();
  });

  afterEach(async () => {
    await pool.end();
    await db.drop();
    rmSync(keyringDir, { recursive: true, force: true });
  });

  const wrappedKeys = async () =>
    (
      await pool.query<{ subject_id: string; wrapped_key: Buffer; kek_id: string }>(
        `SELECT * FROM "${db.schema}".subject_keys ORDER BY subject_id`,
      )
    ).rows;

  it('round-trips personal data; the sealed form is JSON-safe and holds no plaintext', async () => {
    const sealed = await store.encryptFor(subject(1), person);
    expect(sealed).toMatchObject({ subjectId: subject(1), alg: 'A256GCM' });
    const json = JSON.stringify(sealed);
    expect(json).not.toContain('Jan');
    expect(json).not.toContain('1950');
    const parsed = JSON.parse(json) as SealedPersonalData;
    expect(await store.decrypt(parsed)).toEqual(person);
    // The key is stored wrapped with the keyring's KEK, not raw and not with the master key.
    const [row] = await wrappedKeys();
    expect(row?.wrapped_key.length).toBe(12 + 16 + 32);
    expect(row?.kek_id).toBe(keksInFile()[0]!.id);
    expect(row?.kek_id).not.toBe(kekId(masterKey));
  });

  it('reuses one key per subject and gives different subjects different keys', async () => {
    const a1 = await store.encryptFor(subject(1), { n: 1 });
    const a2 = await store.encryptFor(subject(1), { n: 2 });
    await store.encryptFor(subject(2), { n: 3 });
    expect(a1.iv).not.toBe(a2.iv);
    expect(await wrappedKeys()).toHaveLength(2);
    // Unwrapped keys differ: a ciphertext of subject 1 relabelled as subject 2 does not open.
    await expect(store.decrypt({ ...a1, subjectId: subject(2) })).rejects.toThrow(PersonalDataCryptoError);
    expect(await store.decrypt(a2)).toEqual({ n: 2 });
  });

  it('encryptAllFor seals several values with the subject key, each with its own iv', async () => {
    const [contact, note] = await store.encryptAllFor(subject(3), [person, { text: 'urgent' }]);
    expect(contact!.iv).not.toBe(note!.iv);
    expect(await store.decrypt(contact!)).toEqual(person);
    expect(await store.decrypt(note!)).toEqual({ text: 'urgent' });
    expect(await store.decrypt((await store.encryptFor(subject(3), { n: 1 })) as SealedPersonalData)).toEqual({ n: 1 });
    expect(await wrappedKeys()).toHaveLength(1);
    expect(await store.encryptAllFor(subject(4), [])).toEqual([]);
  });

  it('concurrent first use for one subject, from two replicas, yields one key and every ciphertext decrypts', async () => {
    const otherPool = new Pool({ connectionString: db.databaseUrl, max: 8 });
    try {
      const other = await open({ pool: otherPool });
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

  it('a different master key cannot open the keyring', async () => {
    await expect(open({ masterKey: randomBytes(32) })).rejects.toThrow(/sealed with a master key that is neither/);
  });

  it('refuses to start without its keyring, or with another database’s, rather than lose everyone’s data', async () => {
    await store.encryptFor(subject(1), person);
    const elsewhere = mkdtempSync(join(tmpdir(), 'keyring-test-'));
    try {
      await expect(open({ keyringDir: elsewhere })).rejects.toThrow(/keyring .* is missing.*restore the file/);
      openKeyringFile({ path: keyringPath(elsewhere, db.schema), masterKey }).write(newKek());
      await expect(open({ keyringDir: elsewhere })).rejects.toThrow(/does not hold KEK/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('migration is idempotent', async () => {
    await migrateSubjectKeyStore(pool, db.schema);
    await Promise.all([migrateSubjectKeyStore(pool, db.schema), migrateSubjectKeyStore(pool, db.schema)]);
    expect(await wrappedKeys()).toEqual([]);
  });

  describe('the erasure follow-up (a new KEK epoch)', () => {
    it('leaves every old copy of an erased key undecryptable with anything the platform still holds', async () => {
      const erased = await store.encryptFor(subject(1), person);
      const kept = await Promise.all([2, 3, 4].map((n) => store.encryptFor(subject(n), { ...person, n })));
      // What PostgreSQL keeps in WAL and dead tuples after the DELETE: the wrapped key as it was.
      const [copy] = (await wrappedKeys()).filter((r) => r.subject_id === subject(1));
      const [before] = keksInFile();
      expect(gcmOpen(before!.key, unpackBox(copy!.wrapped_key), `wor:subject-key:v1:${subject(1)}`, 'k')).toHaveLength(
        32,
      );

      expect(await store.erase(subject(1))).toBe(true);
      expect(await store.followUpStatus()).toEqual({ pending: true, lastRotationAt: null });
      expect(await store.rotate({ batchSize: 2 })).toMatchObject({ rotated: true, rewrapped: 3 });
      expect(await store.followUpStatus()).toMatchObject({ pending: false, lastRotationAt: expect.any(String) });
      expect(await store.rotate()).toMatchObject({ rotated: false, rewrapped: 0 }); // nothing due

      const keks = keksInFile();
      expect(keks.map((k) => k.id)).not.toContain(before!.id);
      for (const key of [...keks.map((k) => k.key), masterKey])
        expect(() =>
          gcmOpen(key, unpackBox(copy!.wrapped_key), `wor:subject-key:v1:${subject(1)}`, 'subject key'),
        ).toThrow(PersonalDataCryptoError);
      expect(await store.decrypt(erased)).toEqual(ERASED);
      for (const [i, s] of kept.entries()) expect(await store.decrypt(s)).toEqual({ ...person, n: i + 2 });
      expect(new Set((await wrappedKeys()).map((r) => r.kek_id))).toEqual(new Set([keks[0]!.id]));
      // No earlier version of the keyring is left beside it.
      expect(readdirSync(keyringDir)).toEqual([`${db.schema}.keyring.json`]);
    });

    it('another replica follows the new epoch by itself, and keys it creates are covered', async () => {
      const otherPool = new Pool({ connectionString: db.databaseUrl, max: 4 });
      try {
        const other = await open({ pool: otherPool });
        const sealed = await store.encryptFor(subject(1), person);
        await store.erase(subject(9));
        await store.rotate({ force: true });
        expect(await other.decrypt(sealed)).toEqual(person);
        const fresh = await other.encryptFor(subject(2), { n: 2 });
        expect(new Set((await wrappedKeys()).map((r) => r.kek_id))).toEqual(new Set([keksInFile()[0]!.id]));
        expect(await store.decrypt(fresh)).toEqual({ n: 2 });
      } finally {
        await otherPool.end();
      }
    });

    it('completes a rotation a crash interrupted, and overwrites what the interrupted write left', async () => {
      const sealed = await store.encryptFor(subject(1), person);
      const path = keyringPath(keyringDir, db.schema);
      const file = openKeyringFile({ path, masterKey });
      const [old] = keksInFile();
      // Crashed after adding the next KEK, before the epoch moved; a temporary file and the retired version remain.
      file.write(newKek(), [old!]);
      writeFileSync(`${path}.tmp-1-deadbeef`, 'left over');
      writeFileSync(`${path}.retired`, readFileSync(path));
      const reopened = await open();
      expect(readdirSync(keyringDir)).toEqual([`${db.schema}.keyring.json`]);
      expect((await reopened.followUpStatus()).pending).toBe(true);
      expect(await reopened.rotate()).toMatchObject({ rotated: true, rewrapped: 1 });
      expect(keksInFile()).toHaveLength(1);
      expect(await reopened.decrypt(sealed)).toEqual(person);
    });

    it('erasure wins over a rotation running at the same time', async () => {
      const sealed = await Promise.all(Array.from({ length: 40 }, (_, n) => store.encryptFor(subject(n), { n })));
      await Promise.all([store.rotate({ batchSize: 5, force: true }), store.erase(subject(17))]);
      expect(await store.decrypt(sealed[17]!)).toEqual(ERASED);
      expect(await store.decrypt(sealed[18]!)).toEqual({ n: 18 });
      await store.rotate();
      expect((await store.followUpStatus()).pending).toBe(false);
    });
  });

  describe('the master key', () => {
    it('rotates without touching a subject key: the keyring is re-sealed on open', async () => {
      const sealed = await store.encryptFor(subject(1), person);
      const rows = await wrappedKeys();
      const next = randomBytes(32);
      const rotated = await open({ masterKey: next, previousMasterKeys: [masterKey] });
      expect(await rotated.decrypt(sealed)).toEqual(person);
      expect(await wrappedKeys()).toEqual(rows);
      // Now sealed with the new master key alone.
      expect(() => keksInFile()).toThrow(/sealed with a master key/);
      expect(await (await open({ masterKey: next })).decrypt(sealed)).toEqual(person);
    });

    it('reads keys from before the keyring, re-wraps them, and warns until the master key that wrapped them is rotated', async () => {
      // A schema as the previous version left it: keys wrapped with the master key itself, no keyring.
      const legacy = await freshSchema('legacy');
      try {
        await migrateSubjectKeyStore(pool, legacy.schema);
        const dataKey = randomBytes(32);
        const wrap = packBox(gcmSeal(masterKey, dataKey, `wor:subject-key:v1:${subject(5)}`));
        await pool.query(
          `INSERT INTO "${legacy.schema}".subject_keys (subject_id, wrapped_key, kek_id) VALUES ($1, $2, $3)`,
          [subject(5), wrap, kekId(masterKey)],
        );
        const box = gcmSeal(dataKey, Buffer.from(JSON.stringify(person)), `wor:personal-data:v1:${subject(5)}`);
        const sealed: SealedPersonalData = {
          subjectId: subject(5),
          alg: 'A256GCM',
          iv: box.iv.toString('base64'),
          tag: box.tag.toString('base64'),
          ciphertext: box.ciphertext.toString('base64'),
        };
        const warnings: string[] = [];
        const upgraded = await open({ schema: legacy.schema, warn: (m) => warnings.push(m) });
        expect(await upgraded.decrypt(sealed)).toEqual(person);
        expect(await upgraded.followUpStatus()).toMatchObject({ pending: true });
        expect(await upgraded.rotate()).toMatchObject({ rotated: true, rewrapped: 1 });
        expect(warnings).toEqual([expect.stringMatching(/rotated/)]);

        const next = randomBytes(32);
        await open({
          schema: legacy.schema,
          masterKey: next,
          previousMasterKeys: [masterKey],
          warn: (m) => warnings.push(m),
        });
        expect(warnings).toHaveLength(2); // the old master key is still configured
        const done = await open({ schema: legacy.schema, masterKey: next, warn: (m) => warnings.push(m) });
        expect(warnings).toHaveLength(2);
        expect(await done.decrypt(sealed)).toEqual(person);
      } finally {
        await legacy.drop();
      }
    });
  });
});
