/** Kafka topics, one per producing service plus the shared access log; keys are subject or aggregate ids. */
export const Topics = {
  referral: 'wor.referral.events',
  consent: 'wor.consent.events',
  socialMap: 'wor.social-map.events',
  /** NEN 7513 access-log entries from every service, kept by the consent service. */
  accessLog: 'wor.access-log.events',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];
