import { randomUUID } from 'node:crypto';
import type { IntegrationEvent } from '@wor/contracts';
import { freshSchemaPool } from '@wor/test-support';
import type { Pool } from 'pg';
import { checkAccess, type AccessQuestion } from './check-access';
import { migrateReferral } from '../migrations';
import { projectConsentEvent } from './consent-view';

const subjectId = `sub_${'e'.repeat(32)}`;
const envelope = {
  schemaVersion: 1 as const,
  occurredAt: '2026-11-23T10:00:00Z',
  producer: 'consent' as const,
  municipality: null,
  subjectId,
};
const recorded = (consentId: string, over: Record<string, unknown> = {}) =>
  ({
    ...envelope,
    eventId: randomUUID(),
    type: 'ConsentRecorded',
    data: {
      consentId,
      provision: 'permit',
      recipientOrganisationIds: ['welzijn-beterstad'],
      purposes: ['wor-referral'],
      dataCategories: null,
      validFrom: '2026-11-01T00:00:00Z',
      validUntil: null,
      ...over,
    },
  }) as IntegrationEvent;
const activated = (agreementId: string) =>
  ({
    ...envelope,
    subjectId: null,
    eventId: randomUUID(),
    type: 'DataSharingAgreementActivated',
    data: {
      agreementId,
      parties: [
        { organisationId: 'huisarts-beterschap', role: 'joint-controller' },
        { organisationId: 'welzijn-beterstad', role: 'joint-controller' },
      ],
      purposes: ['wor-referral'],
      dataCategories: ['contact-details'],
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: null,
      activatedAt: '2026-01-01T00:00:00Z',
    },
  }) as IntegrationEvent;
const ended = (agreementId: string) =>
  ({
    ...envelope,
    subjectId: null,
    eventId: randomUUID(),
    type: 'DataSharingAgreementEnded',
    data: { agreementId, how: 'terminated', endedAt: '2026-11-20T00:00:00Z' },
  }) as IntegrationEvent;

describe('checkAccess from the local view (real PostgreSQL)', () => {
  let pool: Pool;
  let close: () => Promise<void>;
  const question = (over: Partial<AccessQuestion> = {}): AccessQuestion => ({
    subjectId,
    consentId: null,
    organisationId: 'welzijn-beterstad',
    partnerOrganisationId: 'huisarts-beterschap',
    purpose: 'wor-referral',
    dataCategory: 'contact-details',
    at: new Date('2026-11-23T10:00:00Z'),
    ...over,
  });

  beforeEach(async () => {
    let schema: string;
    ({ pool, schema, close } = await freshSchemaPool('ca'));
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

  it('permits with consent and agreement, naming both', async () => {
    const consentId = randomUUID();
    const agreementId = randomUUID();
    await project(recorded(consentId), activated(agreementId));
    expect(await checkAccess(pool, question({ consentId }))).toEqual({
      permitted: true,
      reason: null,
      consentId,
      agreementId,
      checks: { consent: true, agreement: true },
    });
  });

  it('reads what it decides from in one statement (the submission path)', async () => {
    const consentId = randomUUID();
    await project(recorded(consentId), activated(randomUUID()));
    const query = jest.spyOn(pool, 'query');
    expect(await checkAccess(pool, question({ consentId }))).toMatchObject({ permitted: true, consentId });
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('denies an unknown consent, and one of another patient', async () => {
    expect(await checkAccess(pool, question({ consentId: randomUUID() }))).toMatchObject({
      permitted: false,
      reason: expect.stringMatching(/unknown to the referral service/),
    });
    const consentId = randomUUID();
    await project(recorded(consentId));
    expect(await checkAccess(pool, question({ consentId, subjectId: `sub_${'f'.repeat(32)}` }))).toMatchObject({
      permitted: false,
      reason: expect.stringMatching(/another patient/),
    });
  });

  it('a later, more specific objection of the patient wins over the referral’s consent', async () => {
    const consentId = randomUUID();
    const objectionId = randomUUID();
    await project(
      recorded(consentId),
      activated(randomUUID()),
      recorded(objectionId, { provision: 'deny', dataCategories: ['contact-details'] }),
    );
    expect(await checkAccess(pool, question({ consentId }))).toMatchObject({
      permitted: false,
      consentId: objectionId,
      checks: { consent: false, agreement: true },
    });
    expect((await checkAccess(pool, question({ consentId, dataCategory: 'referral-reason' }))).checks.consent).toBe(
      true,
    );
  });

  it('denies without an active agreement between the organisations, consent or not', async () => {
    const consentId = randomUUID();
    const agreementId = randomUUID();
    await project(recorded(consentId));
    expect(await checkAccess(pool, question({ consentId }))).toMatchObject({
      permitted: false,
      reason: expect.stringMatching(
        /no active data-sharing agreement between welzijn-beterstad and huisarts-beterschap/,
      ),
      consentId,
      checks: { consent: true, agreement: false },
    });
    await project(ended(agreementId), activated(agreementId)); // the end overtook the activation
    expect(await checkAccess(pool, question({ consentId }))).toMatchObject({
      permitted: false,
      reason: expect.stringMatching(/ended/),
      checks: { consent: true, agreement: false },
    });
    const other = randomUUID();
    await project(activated(other));
    expect(await checkAccess(pool, question({ consentId }))).toMatchObject({ permitted: true, agreementId: other });
    expect(await checkAccess(pool, question({ consentId, partnerOrganisationId: 'huisarts-elders' }))).toMatchObject({
      permitted: false,
      checks: { agreement: false },
    });
  });
});
