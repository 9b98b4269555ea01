// The NEN 7513 access log: append-only, and each entry carries the hash of the one before, so a changed,
// removed or reordered entry breaks the chain at a place `verifyChain` reports. The hash is an HMAC
// with a key derived from the platform's pseudonym secret: someone with write access to the database
// but not the secret cannot rewrite an entry and recompute the chain after it. Entries are appended under
// a transaction-scoped advisory lock: one writer at a time, whatever its source (Kafka or this service).
import { createHmac } from 'node:crypto';
import { withTransaction } from '@wor/event-store-postgres';
import type { Pool, PoolClient } from 'pg';

type Db = Pick<Pool, 'query'>;

/** What one entry says; for entries from other services, the AccessLogged event's envelope and data. */
export type AccessLogEntry = Readonly<{
  entryId: string;
  producer: string;
  subjectId: string | null;
  action: string;
  accessedAt: string;
  userId: string;
  onBehalfOf: string | null;
  role: string;
  organisationId: string | null;
  /** A consent purpose, or `privacy-oversight` for privacy officers reading this log. */
  purpose: string;
  dataCategories: string[];
  resource: { type: string; id: string };
  outcome: 'allowed' | 'denied';
  checks: { authorisation: boolean; consent: boolean; agreement: boolean; emergencyAccess: boolean };
  consentId: string | null;
  agreementId: string | null;
  reason: string | null;
}>;

export const GENESIS = '0'.repeat(64);

/** JSON with keys sorted at every level: the same entry always hashes the same, whatever jsonb did to it. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
};

/** The chain's key, derived from the pseudonym secret (a long-lived platform secret, never stored here). */
export type ChainKey = Readonly<{ key: Buffer }>;
export const chainKey = (pseudonymSecret: string): ChainKey => ({
  key: createHmac('sha256', pseudonymSecret).update('wor:access-log-chain:v1').digest(),
});

export const entryHash = (key: ChainKey, prevHash: string, seq: string, entry: unknown): string =>
  createHmac('sha256', key.key)
    .update(`${prevHash}\n${seq}\n${canonicalJson(entry)}`)
    .digest('hex');

/**
 * Appends a run of entries in `tx` (the caller's transaction), in order, under one lock: one read of the
 * chain's end (with the ids already logged and the sequence numbers), one multi-row insert. An entry id
 * already in the log, or repeated in the run, is ignored.
 */
export const appendEntries = async (
  tx: PoolClient,
  key: ChainKey,
  entries: readonly AccessLogEntry[],
): Promise<void> => {
  if (entries.length === 0) return;
  // The lock first, in its own statement: the read below must see the chain as the last writer left it.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.access_log'))`);
  const byId = new Map<string, AccessLogEntry>();
  for (const entry of entries) if (!byId.has(entry.entryId.toLowerCase())) byId.set(entry.entryId.toLowerCase(), entry);
  const { rows } = await tx.query<{ existing: string[]; prev_hash: string | null; seqs: string[] }>(
    `WITH existing AS (SELECT entry_id::text FROM access_log WHERE entry_id = ANY($1::uuid[]))
     SELECT ARRAY(SELECT entry_id FROM existing) AS existing,
       coalesce((SELECT hash FROM access_log ORDER BY seq DESC LIMIT 1),
                (SELECT hash FROM access_log_anchor WHERE id = 1)) AS prev_hash,
       ARRAY(SELECT nextval(pg_get_serial_sequence('access_log', 'seq'))::text
             FROM generate_series(1, $2::int - (SELECT count(*)::int FROM existing))) AS seqs`,
    [[...byId.keys()], byId.size],
  );
  const { existing, prev_hash: last, seqs } = rows[0]!;
  for (const id of existing) byId.delete(id);
  const fresh = [...byId.values()];
  if (fresh.length === 0) return;
  const ordered = [...seqs].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  let prevHash = last ?? GENESIS;
  const columns = {
    seq: [] as string[],
    id: [] as string[],
    entry: [] as string[],
    prev: [] as string[],
    hash: [] as string[],
  };
  fresh.forEach((entry, i) => {
    const seq = ordered[i]!;
    const hash = entryHash(key, prevHash, seq, entry);
    columns.seq.push(seq);
    columns.id.push(entry.entryId);
    columns.entry.push(JSON.stringify(entry));
    columns.prev.push(prevHash);
    columns.hash.push(hash);
    prevHash = hash;
  });
  await tx.query(
    `INSERT INTO access_log (seq, entry_id, entry, prev_hash, hash)
     SELECT seq, entry_id, entry::jsonb, prev_hash, hash
     FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[]) AS r(seq, entry_id, entry, prev_hash, hash)
     ORDER BY seq`,
    [columns.seq, columns.id, columns.entry, columns.prev, columns.hash],
  );
};

/** Appends one entry in `tx` (the caller's transaction); a repeated entry id is ignored. */
export const appendEntry = (tx: PoolClient, key: ChainKey, entry: AccessLogEntry): Promise<void> =>
  appendEntries(tx, key, [entry]);

/** Appends in a transaction of its own. */
export const appendEntryNow = async (pool: Pool, key: ChainKey, entry: AccessLogEntry): Promise<void> => {
  await withTransaction(pool, (tx) => appendEntry(tx, key, entry));
};

export type ChainReport = Readonly<{
  intact: boolean;
  entries: number;
  /** The first entry where the chain breaks, and how. */
  firstBreak: { seq: string; entryId: string; problem: 'changed' | 'removed-or-reordered' } | null;
}>;

/** Walks the chain in order, in pages; reports the first entry whose link or content does not hold. */
export const verifyChain = async (db: Db, key: ChainKey, pageSize = 1000): Promise<ChainReport> => {
  const anchor = await db.query<{ hash: string }>('SELECT hash FROM access_log_anchor WHERE id = 1');
  let expected = anchor.rows[0]?.hash ?? GENESIS;
  let after = '0';
  let entries = 0;
  for (;;) {
    const { rows } = await db.query<{ seq: string; entry_id: string; entry: unknown; prev_hash: string; hash: string }>(
      'SELECT seq::text, entry_id, entry, prev_hash, hash FROM access_log WHERE seq > $1 ORDER BY access_log.seq LIMIT $2',
      [after, pageSize],
    );
    for (const row of rows) {
      entries += 1;
      if (row.prev_hash !== expected)
        return {
          intact: false,
          entries,
          firstBreak: { seq: row.seq, entryId: row.entry_id, problem: 'removed-or-reordered' },
        };
      // The hash covers the entry's content, position and predecessor; the stored id must be the entry's own.
      const content = row.entry as { entryId?: string };
      if (entryHash(key, row.prev_hash, row.seq, row.entry) !== row.hash || content.entryId !== row.entry_id)
        return { intact: false, entries, firstBreak: { seq: row.seq, entryId: row.entry_id, problem: 'changed' } };
      expected = row.hash;
    }
    if (rows.length < pageSize) return { intact: true, entries, firstBreak: null };
    after = rows[rows.length - 1]!.seq;
  }
};

/** Minimum retention of the access log: NEN 7513 and the WGBO keep it at least five years. */
export const MIN_RETENTION_YEARS = 5;

/**
 * Removes entries older than the retention period, oldest first, and anchors the chain at the hash of
 * the last one removed, so what remains still verifies. Returns how many were removed.
 */
export const purgeExpired = async (pool: Pool, years: number, now: Date): Promise<number> => {
  if (years < MIN_RETENTION_YEARS) throw new Error(`Retention below ${MIN_RETENTION_YEARS} years`);
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.access_log'))`);
    // Only the unbroken run of old entries at the head: the chain must stay a chain.
    const { rows } = await client.query<{ seq: string; hash: string }>(
      `SELECT seq::text, hash FROM access_log WHERE seq < coalesce(
         (SELECT min(seq) FROM access_log WHERE (entry->>'accessedAt')::timestamptz >= $1), 9223372036854775807)
       ORDER BY access_log.seq DESC LIMIT 1`,
      [cutoff],
    );
    const last = rows[0];
    if (!last) return 0;
    await client.query(`SELECT set_config('wor.access_log_retention', 'on', true)`);
    const removed = await client.query('DELETE FROM access_log WHERE seq <= $1', [last.seq]);
    await client.query(
      `INSERT INTO access_log_anchor (id, seq, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET seq = $1, hash = $2`,
      [last.seq, last.hash],
    );
    return removed.rowCount ?? 0;
  });
};
