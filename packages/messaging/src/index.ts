export * from './transport';
export * from './in-process-transport';
export * from './kafka-transport';
export * from './integration-event-id';
export * from './relay';
export * from './consumer';
export { migrateRelayCheckpoints, migrateConsumerTables, migrateMessaging } from './sql';
export * from './envelope';
