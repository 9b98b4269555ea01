// Crypto-shredding: personal data is sealed with a per-subject data key; the key is stored wrapped
// with the master key. Erasing a person deletes one row, after which every copy of their sealed
// data — in events, projections and backups — is unreadable. No event needs rewriting.
// The master key is a key-encryption key (KEK) from configuration; it can be rotated: keys wrapped
// with a previous KEK stay readable and `rotate()` re-wraps them with the current one.
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { gcmOpen, gcmSeal, KEY_BYTES, packBox, PersonalDataCryptoError, unpackBox } from './sealed';

/** JSON-safe (base64 strings), so it can sit inside an event's data. */
export type SealedPersonalData = Readonly<{
  subjectId: string;
  alg: 'A256GCM';
  iv: string;
  tag: string;
  ciphertext: string;
}>;

/** What decrypt returns once the subject's key was erased. */
export type ErasedPersonalData = Readonly<{ erased: true }>;
export const ERASED: ErasedPersonalData = Object.freeze({ erased: true });
export const isErased = (value: unknown): value is ErasedPersonalData =>
  typeof value === 'object' && value !== null && (value as { erased?: unknown }).erased === true;

export type SubjectKeyStore = Readonly<{
  /** Seals `data` (JSON) for the subject, creating their key on first use. */
  encryptFor: <T extends object>(subjectId: string, data: T) => Promise<SealedPersonalData>;
  /** The data, or ERASED when the subject's key is gone. Throws PersonalDataCryptoError when altered. */
  decrypt: <T extends object = Record<string, unknown>>(sealed: SealedPersonalData) => Promise<T | ErasedPersonalData>;
  /** Deletes the subject's key; true when there was one. */
  erase: (subjectId: string) => Promise<boolean>;
  hasKey: (subjectId: string) => Promise<boolean>;
  /** Re-wraps every subject key not yet under the current KEK; returns how many were re-wrapped. */
  rotate: (options?: { batchSize?: number }) => Promise<number>;
  /** The id of the current KEK (a fingerprint, not the key). */
  currentKekId: string;
}>;

/** A KEK's id: a fingerprint of it, safe to store next to what it wrapped. */
export const kekId = (kek: Buffer): string =>
  createHash('sha256').update('wor:kek-id:v1').update(kek).digest('hex').slice(0, 16);

type Queryable = Pick<Pool, 'query'>;

const quoteSchema = (schema: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  return `"${schema}"`;
};

export const migrateSubjectKeyStore = async (pool: Queryable, schema: string): Promise<void> => {
  const s = quoteSchema(schema);
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await pool.query(`
      CREATE TABLE IF NOT EXISTS ${s}.subject_keys (
        subject_id  text PRIMARY KEY CHECK (length(subject_id) > 0),
        wrapped_key bytea NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // Which KEK wrapped the key (NULL: written before rotation existed, by the then only master key).
    await pool.query(`ALTER TABLE ${s}.subject_keys ADD COLUMN IF NOT EXISTS kek_id text`);
  } catch (error) {
    // Two instances migrating at once: IF NOT EXISTS is not atomic in PostgreSQL; the other one won.
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P07' && code !== '42P06') throw error;
  }
};

const wrapAad = (subjectId: string) => `wor:subject-key:v1:${subjectId}`;
const dataAad = (subjectId: string) => `wor:personal-data:v1:${subjectId}`;

export const createSubjectKeyStore = (options: {
  pool: Queryable;
  schema: string;
  /** The current KEK: new keys are wrapped with it. */
  masterKey: Buffer;
  /** Earlier KEKs, still able to unwrap keys until `rotate()` re-wrapped them. */
  previousMasterKeys?: readonly Buffer[];
}): SubjectKeyStore => {
  const { pool, masterKey } = options;
  const previous = options.previousMasterKeys ?? [];
  for (const kek of [masterKey, ...previous])
    if (kek.length !== KEY_BYTES) throw new Error(`The master key must be ${KEY_BYTES} bytes`);
  const currentKekId = kekId(masterKey);
  const keks = new Map([masterKey, ...previous].map((k) => [kekId(k), k] as const));
  const table = `${quoteSchema(options.schema)}.subject_keys`;

  const checkSubject = (subjectId: string) => {
    if (typeof subjectId !== 'string' || subjectId.length === 0)
      throw new Error('subjectId must be a non-empty string');
  };

  const unwrap = (subjectId: string, wrapped: Buffer, wrappedWith: string | null): Buffer => {
    // Unknown id: a key from before rotation existed, wrapped by whichever KEK was then the only one.
    const candidates = wrappedWith && keks.has(wrappedWith) ? [keks.get(wrappedWith)!] : [...keks.values()];
    let failure: unknown;
    for (const kek of candidates) {
      try {
        return gcmOpen(kek, unpackBox(wrapped), wrapAad(subjectId), 'subject key');
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  };

  const readKey = async (subjectId: string): Promise<Buffer | undefined> => {
    const { rows } = await pool.query<{ wrapped_key: Buffer; kek_id: string | null }>(
      `SELECT wrapped_key, kek_id FROM ${table} WHERE subject_id = $1`,
      [subjectId],
    );
    const row = rows[0];
    return row ? unwrap(subjectId, row.wrapped_key, row.kek_id) : undefined;
  };

  const keyFor = async (subjectId: string): Promise<Buffer> => {
    const existing = await readKey(subjectId);
    if (existing) return existing;
    // Concurrent first use: every contender inserts its own key, exactly one row wins,
    // and everyone re-reads the winner — so all ciphertexts use the same key.
    const candidate = randomBytes(KEY_BYTES);
    await pool.query(
      `INSERT INTO ${table} (subject_id, wrapped_key, kek_id) VALUES ($1, $2, $3) ON CONFLICT (subject_id) DO NOTHING`,
      [subjectId, packBox(gcmSeal(masterKey, candidate, wrapAad(subjectId))), currentKekId],
    );
    const winner = await readKey(subjectId);
    // Erased between our insert and the re-read: the caller should retry; never seal with a deleted key.
    if (!winner) throw new Error('The subject key was erased while it was being created');
    return winner;
  };

  return {
    encryptFor: async (subjectId, data) => {
      checkSubject(subjectId);
      const key = await keyFor(subjectId);
      const box = gcmSeal(key, Buffer.from(JSON.stringify(data), 'utf8'), dataAad(subjectId));
      return {
        subjectId,
        alg: 'A256GCM',
        iv: box.iv.toString('base64'),
        tag: box.tag.toString('base64'),
        ciphertext: box.ciphertext.toString('base64'),
      };
    },

    decrypt: async <T extends object>(sealed: SealedPersonalData): Promise<T | ErasedPersonalData> => {
      if (sealed.alg !== 'A256GCM') throw new PersonalDataCryptoError(`Unsupported alg: ${String(sealed.alg)}`);
      checkSubject(sealed.subjectId);
      const key = await readKey(sealed.subjectId);
      if (!key) return ERASED;
      const plaintext = gcmOpen(
        key,
        {
          iv: Buffer.from(sealed.iv, 'base64'),
          tag: Buffer.from(sealed.tag, 'base64'),
          ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
        },
        dataAad(sealed.subjectId),
        'personal data',
      );
      return JSON.parse(plaintext.toString('utf8')) as T;
    },

    erase: async (subjectId) => {
      checkSubject(subjectId);
      const { rowCount } = await pool.query(`DELETE FROM ${table} WHERE subject_id = $1`, [subjectId]);
      return (rowCount ?? 0) > 0;
    },

    hasKey: async (subjectId) => {
      const { rows } = await pool.query(`SELECT 1 FROM ${table} WHERE subject_id = $1`, [subjectId]);
      return rows.length > 0;
    },

    rotate: async ({ batchSize = 500 } = {}) => {
      let rewrapped = 0;
      for (;;) {
        const { rows } = await pool.query<{ subject_id: string; wrapped_key: Buffer; kek_id: string | null }>(
          `SELECT subject_id, wrapped_key, kek_id FROM ${table} WHERE kek_id IS DISTINCT FROM $1 ORDER BY subject_id LIMIT $2`,
          [currentKekId, batchSize],
        );
        for (const row of rows) {
          const key = unwrap(row.subject_id, row.wrapped_key, row.kek_id);
          // Only if nobody erased or re-wrapped it meanwhile: erasure must win over rotation.
          const { rowCount } = await pool.query(
            `UPDATE ${table} SET wrapped_key = $2, kek_id = $3 WHERE subject_id = $1 AND wrapped_key = $4`,
            [row.subject_id, packBox(gcmSeal(masterKey, key, wrapAad(row.subject_id))), currentKekId, row.wrapped_key],
          );
          rewrapped += rowCount ?? 0;
        }
        if (rows.length < batchSize) return rewrapped;
      }
    },

    currentKekId,
  };
};
