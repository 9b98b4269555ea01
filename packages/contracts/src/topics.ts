/** Kafka topics, one per producing service; keys are subject or aggregate ids. */
export const Topics = {
  referral: 'wor.referral.events',
  consent: 'wor.consent.events',
  socialMap: 'wor.social-map.events',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];
