import { randomUUID } from 'node:crypto';
import type { ConsentGivenV1, ConsentWithdrawnV1, IntegrationEvent } from '@wor/contracts';
import { freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import { migrateReferral } from '../migrations';
import { findChoice, projectConsentEvent } from './consent-view';

const subjectId = `sub_${'d'.repeat(32)}`;
const envelope = {
  schemaVersion: 1 as const,
  occurredAt: '2026-11-23T10:00:00Z',
  producer: 'consent' as const,
  municipality: null,
  subjectId,
};
const given = (consentId: string): ConsentGivenV1 => ({
  ...envelope,
  eventId: randomUUID(),
  type: 'ConsentGiven',
  data: {
    consentId,
    recipientOrganisationId: 'welzijn-beterstad',
    purposes: ['wor-referral'],
    dataCategories: ['contact-details'],
    validFrom: '2026-11-01T00:00:00Z',
    validUntil: null,
  },
});
const withdrawn = (consentId: string): ConsentWithdrawnV1 => ({
  ...envelope,
  eventId: randomUUID(),
  type: 'ConsentWithdrawn',
  data: { consentId, withdrawnAt: '2026-11-20T00:00:00Z' },
});

describe('consent view (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;

  beforeEach(async () => {
    let schema: string;
    ({ pool, schema, close } = await freshSchemaPool('cv'));
    await migrateReferral(pool, schema);
  });

  afterEach(() => close());

  const project = async (...events: IntegrationEvent[]) => {
    const client = await pool.connect();
    try {
      for (const event of events) await projectConsentEvent(event, client);
    } finally {
      client.release();
    }
  };

  it('knows a given consent and its withdrawal', async () => {
    const consentId = randomUUID();
    await project(given(consentId));
    expect(await findChoice(pool, consentId)).toEqual({
      consentId,
      subjectId,
      provision: 'permit',
      recipientOrganisationIds: ['welzijn-beterstad'],
      purposes: ['wor-referral'],
      dataCategories: ['contact-details'],
      validFrom: new Date('2026-11-01T00:00:00Z'),
      validUntil: null,
      withdrawnAt: null,
    });
    await project(withdrawn(consentId));
    expect((await findChoice(pool, consentId))?.withdrawnAt).toEqual(new Date('2026-11-20T00:00:00Z'));
  });

  it('keeps a withdrawal that overtakes its consent: never a consent that looks active', async () => {
    const consentId = randomUUID();
    await project(withdrawn(consentId));
    expect(await findChoice(pool, consentId)).toBeUndefined();
    await project(given(consentId));
    expect((await findChoice(pool, consentId))?.withdrawnAt).toEqual(new Date('2026-11-20T00:00:00Z'));
  });
});
