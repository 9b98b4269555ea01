// FHIR R4 API of the referral service (HL7 Gravity SDOHCC ServiceRequest + Task) and its search index.
export { fhirMetadataRoute, fhirRoutes, type FhirRouteDeps } from './api';
export { REFERRAL_FHIR_ROUTES } from './routes';
export {
  checkNewTask,
  serviceRequestToReferral,
  toCommunications,
  toServiceRequest,
  toTask,
  EXTENSIONS,
  PROFILES,
  SYSTEMS,
} from './mapping';
export { createTaskIndexProjector, projectTaskIndex, searchTasks } from './task-index';
