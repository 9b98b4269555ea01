// The four services, their default ports and schemas: the one place the launcher knows them.
import { createConsentService } from '@wor/consent-service';
import { createReferralService } from '@wor/referral-service';
import { createReportingService } from '@wor/reporting-service';
import type { ServiceFactory } from '@wor/service-kit';
import { createSocialMapService } from '@wor/social-map-service';

export type ServiceName = 'referral' | 'consent' | 'social-map' | 'reporting';

export type ServiceDefinition = Readonly<{ name: ServiceName; port: number; schema: string; factory: ServiceFactory }>;

/** Start order matters in the embedded mode: consumers subscribe before producers publish. */
export const SERVICES: readonly ServiceDefinition[] = [
  { name: 'reporting', port: 3004, schema: 'reporting', factory: createReportingService },
  { name: 'referral', port: 3001, schema: 'referral', factory: createReferralService },
  { name: 'consent', port: 3002, schema: 'consent', factory: createConsentService },
  { name: 'social-map', port: 3003, schema: 'social_map', factory: createSocialMapService },
];

export type ServiceUrls = Readonly<Record<ServiceName, string>>;
