import { freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import { withTransaction } from '.';

describe('withTransaction (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ pool, close } = await freshSchemaPool('tx'));
    await pool.query('CREATE TABLE t (n int PRIMARY KEY)');
  });
  afterAll(() => close());
  const rows = async () => (await pool.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows.map((r) => r.n);

  it('commits the work and returns its result', async () => {
    const result = await withTransaction(pool, async (tx) => {
      await tx.query('INSERT INTO t VALUES (1), (2)');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await rows()).toEqual([1, 2]);
  });

  it('rolls everything back when the work throws, and rethrows its error', async () => {
    const error = await withTransaction(pool, async (tx) => {
      await tx.query('INSERT INTO t VALUES (3)');
      throw new Error('refused');
    }).catch((e: unknown) => e);
    expect(error).toEqual(new Error('refused'));
    expect(await rows()).toEqual([1, 2]);
  });

  it('runs at the isolation level asked for', async () => {
    const level = await withTransaction(
      pool,
      async (tx) => (await tx.query<{ l: string }>("SELECT current_setting('transaction_isolation') AS l")).rows[0]?.l,
      { isolation: 'repeatable read' },
    );
    expect(level).toBe('repeatable read');
  });
});
