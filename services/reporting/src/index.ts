export { createReportingService } from './service';
