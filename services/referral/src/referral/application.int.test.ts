import { randomBytes, randomUUID } from 'node:crypto';
import type { EventStore } from '@wor/event-store';
import { createPostgresEventStore, migratePostgresEventStore } from '@wor/event-store-postgres';
import { ephemeralKeyringDir, migrateSubjectKeyStore, openSubjectKeyStore } from '@wor/privacy';
import { freshSchemaPool } from '@wor/test-support';
import { createAccessLog } from '../access-log/access-log';
import { createReferrals, type Actor } from './application';
import type { ReferralFacts } from './events';
import { referralStreamId } from './referral';

const gp: Actor = { userId: 'gp-system-1', role: 'gp-system', organisationId: 'huisarts-beterschap', metadata: {} };
const facts: Omit<ReferralFacts, 'referralId' | 'patient' | 'urgencyNote'> = {
  consentId: randomUUID(),
  subjectId: `sub_${'a'.repeat(32)}`,
  municipality: 'GM0363',
  practiceId: 'huisarts-beterschap',
  recipientOrganisationId: 'welzijn-beterstad',
  referrerRole: 'huisarts',
  reasons: ['eenzaamheid'],
  ageBand: '65-74',
  sex: 'female',
};
const personal = { contact: { name: { given: 'A', family: 'B' } }, urgencyNote: null };

describe('submitting a referral (real PostgreSQL)', () => {
  let setup: Awaited<ReturnType<typeof freshSchemaPool>>;
  let store: EventStore;
  let streamReads: string[];

  const referrals = async () => {
    const keys = await openSubjectKeyStore({
      pool: setup.pool,
      schema: setup.schema,
      masterKey: randomBytes(32),
      keyringDir: ephemeralKeyringDir(),
      warn: () => undefined,
    });
    return createReferrals({
      store,
      keys,
      accessLog: createAccessLog(store, () => new Date()),
      checkAccess: async () => ({
        permitted: true,
        reason: null,
        consentId: facts.consentId,
        agreementId: randomUUID(),
        checks: { consent: true, agreement: true },
      }),
      findService: async () => undefined,
      now: () => new Date(),
      config: { notReachableAfterAttempts: 3 },
    });
  };

  beforeEach(async () => {
    setup = await freshSchemaPool('sub');
    await migratePostgresEventStore(setup.pool, setup.schema);
    await migrateSubjectKeyStore(setup.pool, setup.schema);
    const inner = createPostgresEventStore({ pool: setup.pool, schema: setup.schema });
    streamReads = [];
    store = { ...inner, readStream: (id) => (streamReads.push(id), inner.readStream(id)) };
  });
  afterEach(() => setup.close());

  it('reads the new stream once, then appends it as a new stream', async () => {
    const id = randomUUID();
    const created = await (await referrals()).submit(id, facts, personal, gp);
    expect(created).toMatchObject({ created: true, version: 0, state: { status: 'requested' } });
    expect(streamReads).toEqual([referralStreamId(id)]);
    expect((await store.readStream(referralStreamId(id))).events.map((e) => e.type)).toEqual(['ReferralRequested']);
  });

  it('two submissions of one id at once create it once; the other returns it', async () => {
    const service = await referrals();
    const id = randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => service.submit(id, facts, personal, gp)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.map((r) => r.version)).toEqual([0, 0, 0]);
    expect((await store.readStream(referralStreamId(id))).events).toHaveLength(1);
  });
});
