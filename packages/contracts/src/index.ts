export * from './envelope';
export * from './vocabulary';
export * from './topics';
export * from './events/referral';
export * from './events/consent';
export * from './events/social-map';
export * from './registry';
export * from './fields';
