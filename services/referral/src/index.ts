export { createReferralService } from './service';
