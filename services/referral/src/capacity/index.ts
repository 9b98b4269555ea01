export { capacityRoutes, createCapacityReader } from './api';
export { capacityOf, type Capacity, type CapacityStatus } from './capacity';
export { capacityTables, createCapacityProjector } from './projection';
export { healthcareServiceHandlers } from './fhir';
export { planCapacity, toCapacityIntegrationEvents } from './plans';
