// Crypto-shredding: personal data is sealed with a per-subject data key; the key is stored in
// PostgreSQL wrapped with a key-encryption key (KEK) from the service's keyring file (keyring.ts).
// Erasing a person deletes their key's row: from then on no service can read their data.
// PostgreSQL keeps old row versions in WAL and dead tuples, so the wrapped key is still on disk; the
// erasure's follow-up makes those copies useless: a new KEK epoch re-wraps the live keys and the old
// KEK is destroyed. No event needs rewriting. See docs/privacy.md for what holds when.
import { randomBytes } from 'node:crypto';
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool } from 'pg';
import { kekId, keyringPath, newKek, openKeyringFile, type Kek } from './keyring';
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

export type KekRotation = Readonly<{
  /** False when nothing was due, or another process was rotating. */
  rotated: boolean;
  rewrapped: number;
  kekId: string;
}>;

export type FollowUpStatus = Readonly<{
  /** Erasures whose old key copies on disk are still readable with a KEK the keyring holds. */
  pending: boolean;
  /** When the last rotation finished (ISO), or null. */
  lastRotationAt: string | null;
}>;

export type SubjectKeyStore = Readonly<{
  /** Seals `data` (JSON) for the subject, creating their key on first use. */
  encryptFor: <T extends object>(subjectId: string, data: T) => Promise<SealedPersonalData>;
  /** Seals each value for the subject with one key lookup (one round trip where `encryptFor` takes one each). */
  encryptAllFor: (subjectId: string, data: readonly object[]) => Promise<SealedPersonalData[]>;
  /** The data, or ERASED when the subject's key is gone. Throws PersonalDataCryptoError when altered. */
  decrypt: <T extends object = Record<string, unknown>>(sealed: SealedPersonalData) => Promise<T | ErasedPersonalData>;
  /** Deletes the subject's key and marks the follow-up due; true when there was one. */
  erase: (subjectId: string) => Promise<boolean>;
  hasKey: (subjectId: string) => Promise<boolean>;
  /**
   * The erasure follow-up (and KEK rotation): a new KEK, every live key re-wrapped with it, the old
   * KEKs destroyed. Runs when due (an erasure since the last one, an interrupted rotation) or `force`d.
   */
  rotate: (options?: {
    batchSize?: number;
    force?: boolean;
    /** After each batch: keys re-wrapped so far of those to do (for a progress bar). */
    onProgress?: (done: number, total: number) => void;
  }) => Promise<KekRotation>;
  followUpStatus: () => Promise<FollowUpStatus>;
}>;

type Db = Pick<Pool, 'query' | 'connect'>;
type Queryable = Pick<Pool, 'query'>;

const quoteSchema = (schema: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  return `"${schema}"`;
};

/** The subject keys and the KEK epoch; part of migration 1 of the services that hold keys: never edit. */
export const subjectKeyTables = (prefix = ''): string => `
  CREATE TABLE IF NOT EXISTS ${prefix}subject_keys (
    subject_id  text PRIMARY KEY CHECK (length(subject_id) > 0),
    wrapped_key bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- Which KEK wrapped the key (NULL: written before rotation existed, by the then only master key).
    kek_id      text
  );
  -- The KEK epoch: the only KEK new keys may be wrapped with (its id, never the key), and the
  -- follow-up's bookkeeping: it is due while requested > completed.
  CREATE TABLE IF NOT EXISTS ${prefix}key_epoch (
    one          boolean PRIMARY KEY DEFAULT true CHECK (one),
    kek_id       text NOT NULL,
    requested    bigint NOT NULL DEFAULT 0,
    completed    bigint NOT NULL DEFAULT 0,
    rotated_at   timestamptz,
    -- Keys were wrapped with this master key itself before the keyring existed: their old copies
    -- stay readable with it until the master key is rotated.
    legacy_master_kek_id text
  );`;

/** Creates the tables when missing (package tests, tools); services run their migrations. */
export const migrateSubjectKeyStore = async (pool: Queryable, schema: string): Promise<void> => {
  const s = quoteSchema(schema);
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await pool.query(subjectKeyTables(`${s}.`));
  } catch (error) {
    // Two instances migrating at once: IF NOT EXISTS is not atomic in PostgreSQL; the other one won.
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P07' && code !== '42P06') throw error;
  }
};

const wrapAad = (subjectId: string) => `wor:subject-key:v1:${subjectId}`;
const dataAad = (subjectId: string) => `wor:personal-data:v1:${subjectId}`;
/** The advisory lock under which the keyring file is written, per schema. */
const lockKey = (schema: string) => `wor:keyring:${schema}`;

/**
 * Deletes the subject's key in the caller's transaction (e.g. a consumer's) and marks the follow-up
 * due; without `schema` the connection's search_path decides. True when there was a key.
 */
export const eraseSubjectKey = async (db: Queryable, subjectId: string, schema?: string): Promise<boolean> => {
  if (typeof subjectId !== 'string' || subjectId.length === 0) throw new Error('subjectId must be a non-empty string');
  const s = schema ? `${quoteSchema(schema)}.` : '';
  // The epoch row first, as key creation does (FOR SHARE): one lock order, so no deadlock.
  await db.query(`SELECT 1 FROM ${s}key_epoch FOR UPDATE`);
  const { rowCount } = await db.query(`DELETE FROM ${s}subject_keys WHERE subject_id = $1`, [subjectId]);
  if ((rowCount ?? 0) === 0) return false;
  await db.query(`UPDATE ${s}key_epoch SET requested = requested + 1`);
  return true;
};

export type SubjectKeyStoreOptions = Readonly<{
  pool: Db;
  schema: string;
  /** Seals the keyring file. */
  masterKey: Buffer;
  /** Earlier master keys: still open a keyring (re-sealed with the current one) and keys from before it. */
  previousMasterKeys?: readonly Buffer[];
  /** Where the keyring file lives: outside the database, shared by the service's replicas, backed up. */
  keyringDir: string;
  /** Called when the keyring could not be brought up to date (a warning, never personal data). */
  warn?: (message: string) => void;
}>;

/** Opens the store: creates the keyring on first use, refuses to start on a missing or foreign one. */
export const openSubjectKeyStore = async (options: SubjectKeyStoreOptions): Promise<SubjectKeyStore> => {
  const { pool, masterKey, schema } = options;
  const previous = options.previousMasterKeys ?? [];
  for (const kek of [masterKey, ...previous])
    if (kek.length !== KEY_BYTES) throw new Error(`The master key must be ${KEY_BYTES} bytes`);
  // Master keys unwrap only keys from before the keyring existed.
  const masters = new Map([masterKey, ...previous].map((k) => [kekId(k), k] as const));
  const s = quoteSchema(schema);
  const table = `${s}.subject_keys`;
  const epoch = `${s}.key_epoch`;
  const keyring = openKeyringFile({
    path: keyringPath(options.keyringDir, schema),
    masterKey,
    previousMasterKeys: previous,
  });

  const withLock = async <T>(wait: boolean, work: (client: Queryable) => Promise<T>): Promise<T | undefined> => {
    const client = await pool.connect();
    try {
      if (wait) await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey(schema)]);
      else {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
          [lockKey(schema)],
        );
        if (!rows[0]?.locked) return undefined;
      }
      try {
        return await work(client);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(schema)]);
      }
    } finally {
      client.release();
    }
  };

  const readEpoch = async (db: Queryable) =>
    (
      await db.query<{
        kek_id: string;
        requested: string;
        completed: string;
        rotated_at: Date | null;
        legacy_master_kek_id: string | null;
      }>(`SELECT kek_id, requested::text, completed::text, rotated_at, legacy_master_kek_id FROM ${epoch}`)
    ).rows[0];

  await withLock(true, async (client) => {
    keyring.cleanUp();
    const row = await readEpoch(client);
    const state = keyring.read();
    if (!state && row)
      throw new Error(
        `The keyring ${keyring.path} is missing, but the subject keys in schema ${schema} are wrapped with KEK ${row.kek_id}: restore the file from its backup (docs/operations.md). Starting without it would leave every person's data unreadable.`,
      );
    if (state && row && !state.keks.has(row.kek_id))
      throw new Error(
        `The keyring ${keyring.path} does not hold KEK ${row.kek_id}, which wraps the subject keys in schema ${schema}: it belongs to another database or is out of step with it (docs/operations.md).`,
      );
    if (!state) keyring.write(newKek());
    else if (state.sealedWithPrevious) keyring.write(state.current, [...state.keks.values()]);
    const current = keyring.read()!.current;
    if (!row) {
      // Keys from before the keyring: re-wrapped by the first follow-up; their old copies stay
      // readable with the master key that wrapped them until it is rotated.
      const legacy = await client.query<{ kek_id: string | null }>(
        `SELECT DISTINCT kek_id FROM ${table} WHERE kek_id IS DISTINCT FROM $1`,
        [current.id],
      );
      const legacyMaster = legacy.rows.length > 0 ? (legacy.rows[0]!.kek_id ?? kekId(masterKey)) : null;
      await client.query(
        `INSERT INTO ${epoch} (kek_id, requested, legacy_master_kek_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [current.id, legacyMaster ? 1 : 0, legacyMaster],
      );
    } else if (row.legacy_master_kek_id && !masters.has(row.legacy_master_kek_id))
      // The master key that once wrapped keys itself is no longer configured: its copies are moot.
      await client.query(`UPDATE ${epoch} SET legacy_master_kek_id = NULL`);
    if ((await readEpoch(client))?.legacy_master_kek_id)
      options.warn?.(
        `Subject keys in schema ${schema} were once wrapped with the master key itself: until WOR_MASTER_KEY is rotated, erasures of those subjects do not hold against old copies on disk (docs/operations.md).`,
      );
  });

  /** A KEK of the keyring, re-reading the file when another process rotated meanwhile. */
  const kekById = (id: string): Kek | undefined => keyring.read()?.keks.get(id);

  const unwrap = (subjectId: string, wrapped: Buffer, wrappedWith: string | null): Buffer => {
    const kek = wrappedWith ? kekById(wrappedWith) : undefined;
    // Not a keyring KEK: a key from before the keyring, wrapped with a master key (unknown id: the then only one).
    const candidates = kek
      ? [kek.key]
      : wrappedWith && masters.has(wrappedWith)
        ? [masters.get(wrappedWith)!]
        : wrappedWith
          ? []
          : [...masters.values()];
    if (candidates.length === 0)
      throw new PersonalDataCryptoError(`subject key: KEK ${wrappedWith} is not in the keyring ${keyring.path}`);
    let failure: unknown;
    for (const key of candidates) {
      try {
        return gcmOpen(key, unpackBox(wrapped), wrapAad(subjectId), 'subject key');
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  };

  const checkSubject = (subjectId: string) => {
    if (typeof subjectId !== 'string' || subjectId.length === 0)
      throw new Error('subjectId must be a non-empty string');
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
    // Concurrent first use: every contender inserts its own key, exactly one row wins, and everyone
    // re-reads the winner — so all ciphertexts use the same key. The key is wrapped with the epoch's
    // KEK, held (FOR SHARE) until commit so a rotation cannot miss it.
    const candidate = randomBytes(KEY_BYTES);
    await withTransaction(pool, async (client) => {
      const { rows } = await client.query<{ kek_id: string }>(`SELECT kek_id FROM ${epoch} FOR SHARE`);
      const kek = rows[0] && kekById(rows[0].kek_id);
      if (!kek) throw new Error(`The keyring ${keyring.path} does not hold the current KEK of schema ${schema}`);
      await client.query(
        `INSERT INTO ${table} (subject_id, wrapped_key, kek_id) VALUES ($1, $2, $3) ON CONFLICT (subject_id) DO NOTHING`,
        [subjectId, packBox(gcmSeal(kek.key, candidate, wrapAad(subjectId))), kek.id],
      );
    });
    const winner = await readKey(subjectId);
    // Erased between our insert and the re-read: the caller should retry; never seal with a deleted key.
    if (!winner) throw new Error('The subject key was erased while it was being created');
    return winner;
  };

  const seal = (subjectId: string, key: Buffer, data: object): SealedPersonalData => {
    const box = gcmSeal(key, Buffer.from(JSON.stringify(data), 'utf8'), dataAad(subjectId));
    return {
      subjectId,
      alg: 'A256GCM',
      iv: box.iv.toString('base64'),
      tag: box.tag.toString('base64'),
      ciphertext: box.ciphertext.toString('base64'),
    };
  };

  const rotate = async ({
    batchSize = 500,
    force = false,
    onProgress,
  }: {
    batchSize?: number;
    force?: boolean;
    onProgress?: (done: number, total: number) => void;
  } = {}): Promise<KekRotation> => {
    const result = await withLock(false, async (client) => {
      const row = await readEpoch(client);
      const state = keyring.read();
      if (!row || !state) throw new Error(`The keyring of schema ${schema} is not set up`);
      const due = force || BigInt(row.requested) > BigInt(row.completed) || state.keks.size > 1;
      if (!due) return { rotated: false, rewrapped: 0, kekId: row.kek_id };
      // 1. The new KEK is in the file (next to the old ones) before any key is wrapped with it.
      const next = newKek();
      keyring.write(next, [...state.keks.values()]);
      // 2. The epoch moves; it waits for keys being created under the old one (FOR SHARE).
      const moved = await client.query<{ requested: string }>(
        `UPDATE ${epoch} SET kek_id = $1 RETURNING requested::text`,
        [next.id],
      );
      const covers = moved.rows[0]!.requested;
      // 3. Every key not yet under the new KEK is re-wrapped; an erasure meanwhile wins (the row is gone).
      let rewrapped = 0;
      let after = '';
      const todo = onProgress
        ? (
            await client.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM ${table} WHERE kek_id IS DISTINCT FROM $1`,
              [next.id],
            )
          ).rows[0]!.n
        : 0;
      onProgress?.(0, todo);
      for (;;) {
        const { rows } = await client.query<{ subject_id: string; wrapped_key: Buffer; kek_id: string | null }>(
          `SELECT subject_id, wrapped_key, kek_id FROM ${table}
            WHERE kek_id IS DISTINCT FROM $1 AND subject_id > $2 ORDER BY subject_id LIMIT $3`,
          [next.id, after, batchSize],
        );
        if (rows.length === 0) break;
        const rewrappedKeys = rows.map((r) =>
          packBox(gcmSeal(next.key, unwrap(r.subject_id, r.wrapped_key, r.kek_id), wrapAad(r.subject_id))),
        );
        const updated = await client.query(
          `UPDATE ${table} AS k SET wrapped_key = v.rewrapped, kek_id = $4
             FROM unnest($1::text[], $2::bytea[], $3::bytea[]) AS v(subject_id, wrapped_key, rewrapped)
            WHERE k.subject_id = v.subject_id AND k.wrapped_key = v.wrapped_key`,
          [rows.map((r) => r.subject_id), rows.map((r) => r.wrapped_key), rewrappedKeys, next.id],
        );
        rewrapped += updated.rowCount ?? 0;
        after = rows.at(-1)!.subject_id;
        onProgress?.(rewrapped, Math.max(todo, rewrapped));
      }
      const left = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE kek_id IS DISTINCT FROM $1`,
        [next.id],
      );
      if (left.rows[0]!.n > 0)
        throw new Error(`${left.rows[0]!.n} subject keys could not be re-wrapped; the old KEKs are kept`);
      // 4. The old KEKs are destroyed: their file bytes overwritten, their copies in this process zeroed.
      keyring.write(next);
      await client.query(`UPDATE ${epoch} SET completed = $1, rotated_at = now()`, [covers]);
      return { rotated: true, rewrapped, kekId: next.id };
    });
    return result ?? { rotated: false, rewrapped: 0, kekId: (await readEpoch(pool))!.kek_id };
  };

  return {
    encryptFor: async (subjectId, data) => {
      checkSubject(subjectId);
      return seal(subjectId, await keyFor(subjectId), data);
    },

    encryptAllFor: async (subjectId, data) => {
      checkSubject(subjectId);
      if (data.length === 0) return [];
      const key = await keyFor(subjectId);
      return data.map((value) => seal(subjectId, key, value));
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
      return withTransaction(pool, (client) => eraseSubjectKey(client, subjectId, schema));
    },

    hasKey: async (subjectId) => {
      const { rows } = await pool.query(`SELECT 1 FROM ${table} WHERE subject_id = $1`, [subjectId]);
      return rows.length > 0;
    },

    rotate,

    followUpStatus: async () => {
      const row = (await readEpoch(pool))!;
      return {
        pending: BigInt(row.requested) > BigInt(row.completed) || (keyring.read()?.keks.size ?? 0) > 1,
        lastRotationAt: row.rotated_at?.toISOString() ?? null,
      };
    },
  };
};
