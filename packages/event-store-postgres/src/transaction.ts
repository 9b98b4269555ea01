// One transaction on a pooled connection: BEGIN, the work, COMMIT; ROLLBACK when the work throws.
import type { Pool, PoolClient } from 'pg';

export type TransactionOptions = Readonly<{
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
}>;

/**
 * Runs `work` in a transaction on a connection of its own and returns its result. The work's error is what the
 * caller sees; a connection whose ROLLBACK failed is discarded, never handed to the next caller mid-transaction.
 */
export const withTransaction = async <T>(
  pool: Pick<Pool, 'connect'>,
  work: (tx: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> => {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    throw error;
  } finally {
    client.release(broken);
  }
};
