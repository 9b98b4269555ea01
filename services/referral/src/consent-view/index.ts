// The referral service's local view of the consent service's consents and agreements, and its access decision.
export { checkAccess, type AccessDecision, type AccessQuestion } from './check-access';
export { findChoice, findSubjectChoices, projectConsentEvent } from './consent-view';
