// The SQL one POST /referrals issues in its own request, counted (not timed): the relays and projections
// behind it run in other async contexts and are not counted. A regression in round trips shows here.
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import pg from 'pg';
import { gp, referralBody, startReferralService, type ReferralServiceUnderTest } from '../testing/harness';

type Tally = { statements: string[] };
const context = new AsyncLocalStorage<Tally>();
const emit = http.Server.prototype.emit as (this: http.Server, ...args: unknown[]) => boolean;
const clientQuery = pg.Client.prototype.query;
const poolQuery = pg.Pool.prototype.query;
const textOf = (config: unknown) => (typeof config === 'string' ? config : (config as { text?: string })?.text);
const count = (config: unknown) => {
  const text = textOf(config);
  if (typeof text === 'string') context.getStore()?.statements.push(text.trim().split(/\s+/).slice(0, 3).join(' '));
};
// pool.query runs its client.query from a callback in whatever context released a client: it is counted
// at pool.query (the caller's context), and the client.query it makes is skipped.
const viaPool: unknown[] = [];

beforeAll(() => {
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    const req = args[0] as http.IncomingMessage;
    const tally = event === 'request' && req.method === 'POST' ? current : undefined;
    return tally ? context.run(tally, () => emit.call(this, event, ...args)) : emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
  pg.Pool.prototype.query = function (this: pg.Pool, config: unknown, ...rest: unknown[]) {
    count(config);
    viaPool.push(config);
    return (poolQuery as (...a: unknown[]) => unknown).call(this, config, ...rest);
  } as typeof poolQuery;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
    const index = viaPool.indexOf(config);
    if (index >= 0) viaPool.splice(index, 1);
    else count(config);
    return (clientQuery as (...a: unknown[]) => unknown).call(this, config, ...rest);
  } as typeof clientQuery;
});
afterAll(() => {
  http.Server.prototype.emit = emit;
  pg.Client.prototype.query = clientQuery;
  pg.Pool.prototype.query = poolQuery;
});
let current: Tally | undefined;

describe('SQL round trips of one submission (real PostgreSQL)', () => {
  let svc: ReferralServiceUnderTest;
  beforeAll(async () => {
    svc = await startReferralService();
    await svc.agreement();
  });
  afterAll(() => svc.stop());

  const counted = async (bsn: string, consentId: string, headers: Record<string, string> = {}) => {
    current = { statements: [] };
    const response = await svc.http(gp, 'POST', '/referrals', referralBody(consentId, bsn), headers);
    const tally = current;
    current = undefined;
    expect(response.status).toBe(201);
    return { id: response.body.referralId as string, statements: tally.statements };
  };

  it('decision read, one subject-key read for all sealed values, and one append of the referral with its access-log entry', async () => {
    const bsn = '100000137';
    const consentId = await svc.consentFor(bsn);
    await counted(bsn, consentId); // the first one creates the subject's key
    const { id, statements } = await counted(bsn, consentId);
    // No existence read (the id is random), no separate access-log commit; the urgency note is sealed too.
    expect(statements).toHaveLength(3);
    expect(statements.filter((s) => /^(BEGIN|COMMIT)/i.test(s))).toEqual([]);
    expect(statements.filter((s) => s.startsWith('WITH wanted AS'))).toHaveLength(1);
    // The entry and the referral were written by one transaction.
    const { rows } = await svc.pool.query<{ type: string; tx: string }>(
      `SELECT type, transaction_id::text AS tx FROM events
        WHERE stream_id = $1 OR (type = 'AccessLogged' AND data->'resource'->>'id' = $2)`,
      [`referral-${id}`, id],
    );
    expect(rows.map((r) => r.type).sort()).toEqual(['AccessLogged', 'ReferralRequested']);
    expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
  });

  it('with an Idempotency-Key: the key is claimed and answered, and the derived id is read first', async () => {
    const bsn = '100000149';
    const consentId = await svc.consentFor(bsn);
    await counted(bsn, consentId);
    const { statements } = await counted(bsn, consentId, { 'idempotency-key': 'round-trips-1' });
    expect(statements).toHaveLength(6);
  });
});
