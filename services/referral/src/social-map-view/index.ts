export { findService, projectSocialMapEvent } from './social-map-view';
