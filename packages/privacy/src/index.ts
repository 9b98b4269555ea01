export * from './age-band';
export * from './pseudonym';
export * from './sealed';
export * from './subject-key-store';
export * from './consent-rules';
