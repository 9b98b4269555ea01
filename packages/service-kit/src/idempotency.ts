// Idempotency-Key (IETF httpapi-idempotency-key-header) for POSTs: the first response to a key is
// stored and replayed to every retry of the same request, so a GP system that retries after a
// timeout never creates a second referral. A key reused for a different request is refused (422).
// Refusals that depend on state are not kept, so a retry after the state changed can succeed.
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { callerOf } from './auth';
import { HttpProblem } from './problem';

const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'last-modified'] as const;

/** Stored responses by key; part of every service's migration 1: never edit, add a migration. */
export const idempotencyTables = `
  CREATE TABLE IF NOT EXISTS idempotency_keys (
    caller text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    status int,
    headers jsonb,
    body text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key));`;

export const migrateIdempotency = async (pool: Pool): Promise<void> => {
  await pool.query(idempotencyTables);
};

/** The key of the current request, when it has one; handlers may derive ids from it. */
export const idempotencyKeyOf = (res: Response): string | undefined => res.locals.idempotencyKey as string | undefined;

type Stored = {
  request_hash: string;
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
};

const requestHash = (method: string, path: string, body: unknown): string =>
  createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');

export const idempotency =
  (pool: Pool): RequestHandler =>
  async (req, res, next) => {
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next();
    if (!KEY.test(key))
      throw new HttpProblem({
        status: 400,
        title: 'Bad Request',
        detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      });
    const caller = callerOf(res).subject;
    const hash = requestHash(req.method, req.originalUrl, req.body);

    const claimed = await pool.query(
      `INSERT INTO idempotency_keys (caller, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
      [caller, key, hash],
    );
    if (claimed.rowCount === 0) return replay(pool, caller, key, hash, res);

    res.locals.idempotencyKey = key;
    const send = res.send.bind(res);
    // Store the answer before it is sent: a retry that arrives right after the response replays it.
    res.send = (body?: unknown) => {
      const text = typeof body === 'string' || Buffer.isBuffer(body) ? body.toString() : null;
      // Only final answers are kept: success, and invalid input (the same body stays invalid). A refusal
      // that depends on state (403 before the consent arrived, 409, 412) or a server error is forgotten,
      // so the retry runs again.
      const stored = !isFinal(res.statusCode)
        ? pool.query('DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2', [caller, key])
        : pool.query(
            'UPDATE idempotency_keys SET status = $3, headers = $4, body = $5 WHERE caller = $1 AND key = $2',
            [caller, key, res.statusCode, JSON.stringify(headersToKeep(res)), text],
          );
      stored.then(
        () => send(body),
        () => send(body),
      );
      return res;
    };
    res.on('close', () => {
      // A request that ended without an answer (client gone, crash in the handler) frees its key.
      if (!res.headersSent)
        void pool
          .query('DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND status IS NULL', [caller, key])
          .catch(() => undefined);
    });
    next();
  };

const isFinal = (status: number): boolean => status < 400 || status === 400 || status === 422;

const headersToKeep = (res: Response): Record<string, string> => {
  const kept: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined) kept[name] = String(value);
  }
  return kept;
};

const replay = async (pool: Pool, caller: string, key: string, hash: string, res: Response): Promise<void> => {
  const { rows } = await pool.query<Stored>(
    'SELECT request_hash, status, headers, body FROM idempotency_keys WHERE caller = $1 AND key = $2',
    [caller, key],
  );
  const stored = rows[0];
  if (!stored)
    throw new HttpProblem({
      status: 409,
      title: 'Conflict',
      detail: 'The request with this Idempotency-Key failed; retry it.',
    });
  if (stored.request_hash !== hash)
    throw new HttpProblem({
      status: 422,
      title: 'Unprocessable Content',
      detail: 'This Idempotency-Key was used for a different request.',
    });
  if (stored.status === null)
    throw new HttpProblem({
      status: 409,
      title: 'Conflict',
      detail: 'A request with this Idempotency-Key is still being processed; retry it shortly.',
      headers: { 'Retry-After': '1' },
    });
  for (const [name, value] of Object.entries(stored.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Idempotent-Replayed', 'true');
  res.status(stored.status).send(stored.body ?? '');
};
