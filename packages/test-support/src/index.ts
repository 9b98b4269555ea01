export * from './services';
export * from './decider-spec';
export * from './event-store-contract';
export * from './bsn';
