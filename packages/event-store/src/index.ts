// The event store's core: the port, Emmett-shaped deciders and command handling, and the errors.
// No database here: the adapters (@wor/event-store-postgres, @wor/event-store-eventstoredb) build on it.
export * from './port';
export * from './handle-command';
export * from './errors';
export * from './readable';
export * from './on-append';
