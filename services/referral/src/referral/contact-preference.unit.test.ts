// gp-only in the decider: acceptance asks the GP for contact; the coach's call attempts are refused after that.
import { deciderSpec } from '@wor/test-support';
import type { ReferralCommand } from './commands';
import type { ReferralEvent } from './events';
import { decide, evolve, initialState } from './referral';
import { at, commands, events as e, referralId } from './testing/fixtures';

const spec = deciderSpec({ decide, evolve, initialState });
const contactRequest: ReferralEvent = {
  type: 'FeedbackSent',
  data: {
    referralId,
    moment: 'contact-request',
    practiceId: 'huisarts-beterschap',
    summary: { status: 'accepted', reasonCode: null, outcome: null, activities: [], positiveHealth: null },
    message: null,
    sentAt: at,
  },
};
const attempt = (reached: boolean): ReferralCommand =>
  ({
    ...commands.RecordContactAttempt,
    data: { reached, attemptedAt: new Date(at) },
  }) as ReferralCommand;

describe('contact through the GP only (decider)', () => {
  it('acceptance sends the acceptance feedback and a contact request to the GP', () => {
    const events = decide(
      {
        ...commands.AcceptReferral,
        data: { organisationId: 'welzijn-beterstad', feedbackMessage: null, contactThroughGp: true },
      } as ReferralCommand,
      [e.requested].reduce(evolve, initialState()),
    );
    expect(events.map((x) => (x.type === 'FeedbackSent' ? x.data.moment : x.type))).toEqual([
      'ReferralAccepted',
      'acceptance',
      'contact-request',
    ]);
  });

  it('without gp-only acceptance asks the GP nothing', () => {
    const events = decide(commands.AcceptReferral, [e.requested].reduce(evolve, initialState()));
    expect(events.filter((x) => x.type === 'FeedbackSent')).toHaveLength(1);
  });

  it('refuses a call attempt once the GP was asked, naming the preference', () =>
    spec
      .given([e.requested, e.accepted, contactRequest, e.coachAssigned])
      .when(attempt(false))
      .thenThrows((error) => {
        expect(error.name).toBe('IllegalStateError');
        expect(error.message).toMatch(/gp-only/);
      }));

  it('records the contact the GP arranged as the first contact', () => {
    const events = decide(
      attempt(true),
      [e.requested, e.accepted, contactRequest, e.coachAssigned].reduce(evolve, initialState()),
    );
    expect(events.map((x) => x.type)).toEqual(['ContactAttempted', 'FirstContactMade']);
  });
});
