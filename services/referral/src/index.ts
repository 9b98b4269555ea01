export { createReferralService } from './service';
export { referralPolicies } from './policies';
