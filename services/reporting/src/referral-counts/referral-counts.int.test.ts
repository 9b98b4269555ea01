import { freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import { migrateReporting } from '../migrations';
import { recordAll } from '../testing/record';
import { referralEvents } from '../testing/events';
import { referralCounts } from './projection';

describe('referral counts per month (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;

  beforeEach(async () => {
    let schema: string;
    ({ pool, schema, close } = await freshSchemaPool('rep'));
    await migrateReporting(pool, schema);
  });

  afterEach(() => close());

  it('counts referrals per municipality and Dutch calendar month, without those entered in error', async () => {
    const wrong = referralEvents();
    await recordAll(pool, [
      referralEvents().requested({ municipality: 'GM0001', at: '2026-11-02T09:00:00Z' }),
      referralEvents().requested({ municipality: 'GM0001', at: '2026-11-30T23:30:00Z' }), // already December in Amsterdam
      referralEvents().requested({ municipality: 'GM0001', at: '2026-12-01T10:00:00Z' }),
      referralEvents().requested({ municipality: 'GM0002', at: '2026-11-02T09:00:00Z' }),
      wrong.requested({ municipality: 'GM0001', at: '2026-11-03T09:00:00Z' }),
      wrong.enteredInError('2026-11-04T09:00:00Z'),
    ]);
    expect(await referralCounts(pool, 'GM0001', '2026-01', '2026-12')).toEqual([
      { month: '2026-11', referrals: 1 },
      { month: '2026-12', referrals: 2 },
    ]);
    expect(await referralCounts(pool, 'GM0001', '2026-12', '2026-12')).toEqual([{ month: '2026-12', referrals: 2 }]);
    expect(await referralCounts(pool, 'GM0002', '2026-01', '2026-12')).toEqual([{ month: '2026-11', referrals: 1 }]);
  });
});
