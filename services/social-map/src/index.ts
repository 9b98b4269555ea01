export { createSocialMapService } from './service';
export { socialMapPolicies } from './policies';
