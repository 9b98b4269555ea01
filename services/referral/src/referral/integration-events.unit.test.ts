import { parseIntegrationEvent } from '@wor/contracts';
import type { RecordedEvent } from '@wor/event-store';
import type { ReferralEvent } from './events';
import { referralStreamFacts, toIntegrationEvents } from './integration-events';
import { events, facts } from './testing/fixtures';

const recorded = (event: ReferralEvent, withFacts = true): RecordedEvent =>
  ({
    ...event,
    eventId: '6f1e2d3c-4b5a-4968-8776-655443322110',
    streamId: 'referral-0b8f7a52-51a3-4d0b-a7a5-0f7f0b6c1f10',
    streamVersion: 0,
    recordedAt: new Date('2026-11-23T10:00:00Z'),
    metadata: withFacts ? { correlationId: 'c-1', actor: 'coach-anna', streamFacts: referralStreamFacts(facts) } : {},
    checkpoint: '1:1',
  }) as RecordedEvent;

describe('referral integration events', () => {
  const { ordered, ...published } = events;

  it.each(Object.entries(published))('%s becomes a valid, PII-free integration event', (_name, event) => {
    const [published, ...rest] = toIntegrationEvents(recorded(event));
    expect(rest).toEqual([]);
    const parsed = parseIntegrationEvent(published);
    expect(parsed).toEqual({ ok: true, event: published });
    expect(published).toMatchObject({
      type: event.type,
      municipality: 'GM9999',
      subjectId: facts.subjectId,
      producer: 'referral',
    });
    const json = JSON.stringify(published);
    // Sealed data, user ids and the coach stay inside the service.
    for (const secret of ['ciphertext', 'coach-anna', 'user-1', 'goalTexts', 'message', 'Wandelgroep'])
      expect(json).not.toContain(secret);
  });

  it('an order awaiting its Task stays in the service: downstream, the referral starts when its Task is created', () => {
    expect(toIntegrationEvents(recorded(ordered))).toEqual([]);
  });

  it('a step without its stream facts is refused rather than published without municipality', () => {
    expect(() => toIntegrationEvents(recorded(events.accepted, false))).toThrow(/lacks its stream facts/);
  });

  it('the request carries its own facts', () => {
    expect(toIntegrationEvents(recorded(events.requested, false))[0]).toMatchObject({ municipality: 'GM9999' });
  });
});
