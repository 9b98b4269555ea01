export { findService, migrateSocialMapView, projectSocialMapEvent } from './social-map-view';
