export * from './services';
export * from './decider-spec';
export * from './event-store-contract';
export * from './openapi-lint';
export * from './openapi-responses';
export * from './openapi-conformance';
export * from './schema-layout';
export * from './bsn';
