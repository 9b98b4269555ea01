import { randomBytes, randomUUID } from 'node:crypto';
import type { IntegrationEvent } from '@wor/contracts';
import { ephemeralKeyringDir, ERASED, openSubjectKeyStore, pseudonymise } from '@wor/privacy';
import { freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import { projectConsentEvent } from '../consent-view/consent-view';
import { migrateReferral } from '../migrations';

const subject = (bsn: string) => pseudonymise(bsn, 'test-secret');
const erased = (subjectId: string) =>
  ({
    eventId: randomUUID(),
    type: 'SubjectErased',
    schemaVersion: 1,
    occurredAt: '2026-11-23T10:00:00Z',
    producer: 'consent',
    municipality: null,
    subjectId,
    data: { erasedAt: '2026-11-23T10:00:00Z' },
  }) as IntegrationEvent;

describe('the referral service erases its subject key on SubjectErased (real PostgreSQL)', () => {
  let pool: Pool;
  let schema: string;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ pool, schema, close } = await freshSchemaPool('rse'));
    await migrateReferral(pool, schema);
  });
  afterEach(() => close());

  it('destroys the key of that subject only, once, and remembers the erasure', async () => {
    const keys = await openSubjectKeyStore({
      pool,
      schema,
      masterKey: randomBytes(32),
      keyringDir: ephemeralKeyringDir(),
    });
    const contact = { name: { given: 'Jet', family: 'Voorbeeld' }, phone: '0612345678' };
    const sealed = await keys.encryptFor(subject('999990019'), contact);
    const other = await keys.encryptFor(subject('111222333'), contact);

    const client = await pool.connect();
    try {
      await projectConsentEvent(erased(subject('999990019')), client);
      await projectConsentEvent(erased(subject('999990019')), client); // redelivered: harmless
    } finally {
      client.release();
    }
    expect(await keys.decrypt(sealed)).toEqual(ERASED);
    expect(await keys.decrypt(other)).toEqual(contact);
    // The erasure follow-up is due, once: the service's timer runs it (here by hand).
    expect((await keys.followUpStatus()).pending).toBe(true);
    expect(await keys.rotate()).toMatchObject({ rotated: true, rewrapped: 1 });
    expect((await keys.followUpStatus()).pending).toBe(false);
    expect(await keys.decrypt(other)).toEqual(contact);
    expect((await pool.query('SELECT subject_id FROM erased_subjects')).rows).toEqual([
      { subject_id: subject('999990019') },
    ]);
  });
});
