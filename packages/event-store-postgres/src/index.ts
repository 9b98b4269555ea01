// The PostgreSQL adapter of the event-store port, and the catch-up projector whose checkpoint
// commits with the PostgreSQL read model it feeds.
export { createPostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export { eventStoreTables, migratePostgresEventStore } from './schema';
export * from './projector';
export { withTransaction, type TransactionOptions } from './transaction';
