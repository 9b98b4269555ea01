import { deciderSpec } from '@wor/test-support';
import { decideNeedToKnow, NOT_THE_COACH } from './need-to-know';
import { settingsDecider } from './settings';

describe('who reads a client’s personal details', () => {
  const coach = { userId: 'coach-anna', coordinator: false };
  const colleague = { userId: 'coach-bram', coordinator: false };
  const coordinator = { userId: 'coordinator-1', coordinator: true };

  it('need-to-know: the assigned coach and the coordinators read; another coach is refused', () => {
    expect(decideNeedToKnow('need-to-know', coach, 'coach-anna')).toEqual({ allowed: true, declared: false });
    expect(decideNeedToKnow('need-to-know', coordinator, 'coach-anna')).toEqual({ allowed: true, declared: false });
    expect(decideNeedToKnow('need-to-know', colleague, 'coach-anna')).toEqual({
      allowed: false,
      reason: NOT_THE_COACH,
    });
    expect(decideNeedToKnow('need-to-know', colleague, null)).toEqual({ allowed: false, reason: NOT_THE_COACH });
  });

  it('need-to-know: another coach who declares a takeover reads, flagged as declared', () => {
    expect(decideNeedToKnow('need-to-know', colleague, 'coach-anna', 'vervanging')).toEqual({
      allowed: true,
      declared: true,
      reason: 'vervanging',
    });
    // The assigned coach needs no declaration: a declared read by them is an ordinary one.
    expect(decideNeedToKnow('need-to-know', coach, 'coach-anna', 'urgent-contact')).toEqual({
      allowed: true,
      declared: false,
    });
  });

  it('organisation: every coach of the organisation reads', () => {
    expect(decideNeedToKnow('organisation', colleague, 'coach-anna')).toEqual({ allowed: true, declared: false });
  });
});

describe('organisation settings decider', () => {
  const spec = deciderSpec(settingsDecider);
  const now = new Date('2026-12-01T10:00:00Z');
  const set = (policy: 'need-to-know' | 'organisation') => ({
    type: 'SetPersonalDetailsPolicy' as const,
    data: { organisationId: 'welzijn-a', policy, by: 'coordinator-1' },
    metadata: { now },
  });
  const setEvent = (policy: 'need-to-know' | 'organisation') => ({
    type: 'PersonalDetailsPolicySet' as const,
    data: { organisationId: 'welzijn-a', policy, setBy: 'coordinator-1', setAt: now.toISOString() },
  });

  it('given nothing (the default need-to-know), setting organisation records it', () =>
    spec
      .given([])
      .when(set('organisation'))
      .then([setEvent('organisation')]));

  it('given nothing, setting the default changes nothing', () => spec.given([]).when(set('need-to-know')).then([]));

  it('given organisation, setting need-to-know records it', () =>
    spec
      .given([setEvent('organisation')])
      .when(set('need-to-know'))
      .then([setEvent('need-to-know')]));
});
