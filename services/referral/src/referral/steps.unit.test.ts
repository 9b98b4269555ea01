import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referralPolicies } from '../policies';
import { REFERRAL_STATUSES, type ReferralEvent } from './events';
import { ALLOWED_IN, evolve, initialState, type Referral, type ReferralState } from './referral';
import { allowedSteps, STEP_OF_COMMAND, stepForTaskStatus, STEPS } from './steps';
import { events as e, historyIn } from './testing/fixtures';

const stateOf = (history: ReferralEvent[]): ReferralState => {
  const state: Referral = history.reduce(evolve, initialState());
  if (state.status === 'none') throw new Error('no referral');
  return state;
};

describe('the step table', () => {
  it('derives one policy row per step, with the roles the step names', () => {
    for (const step of STEPS)
      expect(referralPolicies[`POST /referrals/:referralId/${step.path}`]).toEqual({
        roles: step.roles,
        scope: 'organisation',
      });
  });

  it('offers the steps the decider allows in the status, to the roles of the caller on their own side', () => {
    const requested = stateOf(historyIn.requested);
    expect(allowedSteps(requested, ['coordinator'], 'recipient')).toEqual(['accept', 'reject', 'cancel']);
    expect(allowedSteps(requested, ['coach'], 'recipient')).toEqual(['cancel']);
    expect(allowedSteps(requested, ['gp-system'], 'referrer')).toEqual(['cancel', 'entered-in-error']);
    // A referrer role held by someone on the recipient's side takes no referrer step.
    expect(allowedSteps(requested, ['gp-system'], 'recipient')).toEqual([]);
    expect(allowedSteps(requested, ['coordinator'], undefined)).toEqual([]);
  });

  it('follows ALLOWED_IN for every status, and offers the intake only until it is held', () => {
    for (const status of REFERRAL_STATUSES) {
      const state = stateOf(historyIn[status]);
      const expected = STEPS.filter((s) => ALLOWED_IN[s.type].includes(status) && s.roles.includes('coach'))
        .map((s) => s.path)
        .filter((path) => !(path === 'intake' && state.intake));
      expect(allowedSteps(state, ['coach'], 'recipient')).toEqual(expected);
    }
    const held = stateOf([...historyIn['in-progress'], e.intake]);
    expect(allowedSteps(held, ['coach'], 'recipient')).not.toContain('intake');
    expect(allowedSteps(stateOf(historyIn['in-progress']), ['coach'], 'recipient')).toContain('intake');
  });

  it('finds the one step that moves a Task from each status to each other status', () => {
    for (const from of REFERRAL_STATUSES)
      for (const to of REFERRAL_STATUSES) {
        const state = stateOf(historyIn[from]);
        const candidates = STEPS.filter((s) => s.leadsTo.includes(to) && ALLOWED_IN[s.type].includes(from));
        expect(candidates.length).toBeLessThanOrEqual(1);
        expect(stepForTaskStatus(to, state)).toBe(candidates[0]);
      }
    expect(stepForTaskStatus('accepted', stateOf(historyIn.requested))).toBe(STEP_OF_COMMAND.AcceptReferral);
    expect(stepForTaskStatus('accepted', stateOf(historyIn['on-hold']))).toBe(STEP_OF_COMMAND.Resume);
    expect(stepForTaskStatus('completed', stateOf(historyIn.requested))).toBeUndefined();
  });

  it('parses a body with the parser it is given, before anything is built', () => {
    const seen: unknown[] = [];
    const taken = STEP_OF_COMMAND.PutOnHold.take((schema) => {
      seen.push(schema);
      return schema.parse({ reason: 'other' });
    });
    expect(seen).toEqual([STEP_OF_COMMAND.PutOnHold.body]);
    expect(taken.writes).toBeUndefined();
  });
});

describe('docs/referral.md', () => {
  it('has a row for every step', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/referral.md'), 'utf8');
    for (const step of STEPS) expect(doc).toMatch(new RegExp(`^\\| \`${step.path}\`|/ \`${step.path}\` \\|`, 'm'));
  });
});
