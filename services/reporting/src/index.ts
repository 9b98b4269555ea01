export { createReportingService } from './service';
export { reportingPolicies } from './policies';
