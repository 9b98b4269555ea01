export * from './port';
export * from './handle-command';
export * from './postgres';
export * from './errors';
export * from './projector';
export * from './readable';
export * from './eventstoredb';
export * from './create-event-store';
