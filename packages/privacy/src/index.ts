export * from './age-band';
export * from './pseudonym';
export * from './sealed';
export * from './keyring';
export * from './subject-key-store';
export * from './erasure-follow-up';
export * from './consent-rules';
