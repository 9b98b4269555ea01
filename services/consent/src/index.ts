export { createConsentService } from './service';
