export { createConsentService } from './service';
export { consentPolicies } from './policies';
