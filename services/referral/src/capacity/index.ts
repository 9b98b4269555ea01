export { capacityRoutes, createCapacityReader } from './api';
export { capacityOf, type Capacity, type CapacityStatus } from './capacity';
export { createCapacityProjector, migrateCapacity } from './projection';
export { healthcareServiceHandlers } from './fhir';
