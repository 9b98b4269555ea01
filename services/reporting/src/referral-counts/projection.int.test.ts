import { exampleReferralRequested, type ReferralRequestedV1 } from '@wor/contracts';
import { freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import { migrateReferralCounts, projectReferralCounts, referralCounts } from './projection';

const referralRequested = (municipality: string, requestedAt: string): ReferralRequestedV1 =>
  exampleReferralRequested({ municipality, requestedAt });

describe('referral counts projection (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ pool, close } = await freshSchemaPool('rep'));
    await migrateReferralCounts(pool);
  });

  afterEach(() => close());

  const project = async (...events: ReferralRequestedV1[]) => {
    const client = await pool.connect();
    try {
      for (const event of events) await projectReferralCounts(event, client);
    } finally {
      client.release();
    }
  };

  it('counts referrals per municipality and Dutch calendar month', async () => {
    await project(
      referralRequested('GM0001', '2026-11-02T09:00:00Z'),
      referralRequested('GM0001', '2026-11-30T23:30:00Z'), // already December in Amsterdam
      referralRequested('GM0001', '2026-12-01T10:00:00Z'),
      referralRequested('GM0002', '2026-11-02T09:00:00Z'),
    );
    expect(await referralCounts(pool, 'GM0001', '2026-01', '2026-12')).toEqual([
      { month: '2026-11', referrals: 1 },
      { month: '2026-12', referrals: 2 },
    ]);
    expect(await referralCounts(pool, 'GM0001', '2026-12', '2026-12')).toEqual([{ month: '2026-12', referrals: 2 }]);
    expect(await referralCounts(pool, 'GM0002', '2026-01', '2026-12')).toEqual([{ month: '2026-11', referrals: 1 }]);
  });
});
