import { parseIntegrationEvent } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import { agreementIntegrationEvents } from '../agreement/integration-events';
import { subjectIntegrationEvents } from '../subject-rights/integration-events';
import { toIntegrationEvents } from './integration-events';

const recorded = (streamId: string, type: string, data: unknown): RecordedEvent =>
  ({
    eventId: '0b0c3b8e-1d7f-4a43-9d55-2d0f4d2b9b11',
    streamId,
    streamVersion: 0,
    recordedAt: new Date('2026-11-23T10:00:00Z'),
    metadata: {},
    checkpoint: '1',
    type,
    data,
  }) as RecordedEvent;
const subjectId = `sub_${'1'.repeat(32)}`;
const sealed = { subjectId, alg: 'A256GCM', iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y2lwaGVy' };

describe('what other services learn from the consent service (the PII filter toward Kafka)', () => {
  it('a consent or objection travels without its evidence, and is a valid ConsentRecorded.v1', () => {
    const [event] = toIntegrationEvents(
      recorded('consent-x', 'ConsentRecorded', {
        consentId: '8c2b3a6e-2f7d-4a43-9d55-2d0f4d2b9b11',
        subjectId,
        provision: 'deny',
        recipientOrganisationIds: null,
        purposes: ['wor-coaching'],
        dataCategories: null,
        validFrom: '2026-11-01T00:00:00.000Z',
        validUntil: null,
        evidence: { recordedBy: 'user-poh-1', method: 'signed', documentReference: sealed },
        recordedAt: '2026-11-23T10:00:00.000Z',
      }),
    );
    expect(parseIntegrationEvent(JSON.parse(JSON.stringify(event)))).toMatchObject({ ok: true });
    expect(event).toMatchObject({
      type: 'ConsentRecorded',
      subjectId,
      producer: 'consent',
      data: { provision: 'deny', recipientOrganisationIds: null },
    });
    expect(JSON.stringify(event)).not.toMatch(/user-poh-1|ciphertext|evidence/);
  });

  it('an agreement is published at activation and at its end, never as a draft', () => {
    const terms = {
      agreementId: '0b0c3b8e-1d7f-4a43-9d55-2d0f4d2b9b11',
      kind: 'samenwerkingsovereenkomst',
      title: 't',
      parties: [
        { organisationId: 'huisarts-beterschap', role: 'joint-controller' },
        { organisationId: 'welzijn-beterstad', role: 'joint-controller' },
      ],
      legalBasis: { article6: 'a-consent', article9Exception: null },
      purposes: ['wor-referral'],
      dataCategories: ['contact-details'],
      recipientOrganisationIds: ['welzijn-beterstad'],
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: null,
      retentionMonths: 12,
      processingRegisterReference: 'r',
    };
    expect(
      agreementIntegrationEvents(
        recorded('agreement-x', 'AgreementDrafted', {
          ...terms,
          draftedBy: 'po',
          draftedAt: '2026-01-01T00:00:00.000Z',
        }),
      ),
    ).toEqual([]);
    const [activated] = agreementIntegrationEvents(
      recorded('agreement-x', 'AgreementActivated', {
        agreementId: terms.agreementId,
        activatedBy: 'po',
        activatedAt: '2026-01-02T00:00:00.000Z',
        terms,
      }),
    );
    const [ended] = agreementIntegrationEvents(
      recorded('agreement-x', 'AgreementTerminated', {
        agreementId: terms.agreementId,
        terminatedBy: 'po',
        terminatedAt: '2026-06-01T00:00:00.000Z',
      }),
    );
    for (const e of [activated, ended])
      expect(parseIntegrationEvent(JSON.parse(JSON.stringify(e)))).toMatchObject({ ok: true });
    expect(ended).toMatchObject({
      type: 'DataSharingAgreementEnded',
      data: { how: 'terminated', endedAt: '2026-06-01T00:00:00.000Z' },
    });
  });

  it('an erasure is a valid SubjectErased.v1 for the subject', () => {
    const [event] = subjectIntegrationEvents(
      recorded('subject-x', 'SubjectErased', {
        subjectId,
        erasedAt: '2026-11-23T10:00:00.000Z',
        erasedBy: 'po-1',
        keyDestroyed: true,
      }),
    );
    expect(parseIntegrationEvent(JSON.parse(JSON.stringify(event)))).toMatchObject({
      ok: true,
      event: { type: 'SubjectErased', subjectId },
    });
    expect(JSON.stringify(event)).not.toContain('po-1');
  });
});
