export { createPostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export { migratePostgresEventStore } from './schema';
