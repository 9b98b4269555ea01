export * from './services';
export * from './secrets';
export * from './in-process';
export * from './processes';
export * from './demo-data';
export * from './embedded-database';
export * from './demo';
