export { createReferralService } from './service';
export { referralPolicies } from './policies';
/** The id a referral submitted under an Idempotency-Key gets (the launcher's demo tour names one). */
export { referralIdFor } from './referral/submission';
