export { createSocialMapService } from './service';
