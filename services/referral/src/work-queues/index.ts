export {
  MineQuery as WorkQueueMineQuery,
  OrganisationQuery as WorkQueueOrganisationQuery,
  workQueueRoutes,
  type WorkQueueRouteDeps,
} from './api';
export {
  createWorkQueueProjector,
  DEFAULT_FIRST_CONTACT_WORKING_DAYS,
  projectWorkQueues,
  type WorkQueueProjectorOptions,
} from './projection';
export { listWorkQueue, OPEN_STATUSES, type WorkQueueItem, type WorkQueuePage } from './queries';
export { firstContactDeadline, isDutchPublicHoliday, noHolidays } from './working-days';
