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

/** Appends one entry in `tx` (the caller's transaction); a repeated entry id is ignored. */
export const appendEntry = async (tx: PoolClient, key: ChainKey, entry: AccessLogEntry): Promise<void> => {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.access_log'))`);
  const exists = await tx.query('SELECT 1 FROM access_log WHERE entry_id = $1', [entry.entryId]);
  if (exists.rows.length) return;
  const last = await tx.query<{ hash: string }>('SELECT hash FROM access_log ORDER BY seq DESC LIMIT 1');
  const anchor = await tx.query<{ hash: string }>('SELECT hash FROM access_log_anchor WHERE id = 1');
  const prevHash = last.rows[0]?.hash ?? anchor.rows[0]?.hash ?? GENESIS;
  const { rows } = await tx.query<{ seq: string }>(
    `SELECT nextval(pg_get_serial_sequence('access_log', 'seq'))::text AS seq`,
  );
  const seq = rows[0]!.seq;
  await tx.query('INSERT INTO access_log (seq, entry_id, entry, prev_hash, hash) VALUES ($1, $2, $3, $4, $5)', [
    seq,
    entry.entryId,
    JSON.stringify(entry),
    prevHash,
    entryHash(key, prevHash, seq, entry),
  ]);
};

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
