// The referral the README's tour follows: the first one of Huisarts Beterschap that was completed
// with a message to the GP. Its id is fixed by its Idempotency-Key (scripts/readme-tour.js).
import { referralIdFor } from '@wor/referral-service';
import { richPlan } from './plan';
import { gpOf } from './rich';

export const tourReferral = (today: Date) => {
  const referral = richPlan(today).referrals.find(
    (r) =>
      r.practiceId === 'huisarts-beterschap' &&
      r.steps.some((s) => s.kind === 'complete' && s.message) &&
      r.steps.some((s) => s.kind === 'activity'),
  );
  if (!referral) throw new Error('the demo has no referral for the tour');
  const assigned = referral.steps.find((s) => s.kind === 'assign');
  return {
    referral,
    referralId: referralIdFor(gpOf(referral.practiceId).sub, referral.key),
    coach: assigned?.kind === 'assign' ? assigned.coach : 'coach-anna',
  };
};
