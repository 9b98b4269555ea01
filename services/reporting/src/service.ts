// The reporting service: every figure is a projection of integration events, never another
// service's tables. One consumer reads every topic of the chain; each event is appended to
// reporting's own log and projected in the same transaction (see received-events/store.ts).
import { parseIntegrationEvent, Topics } from '@wor/contracts';
import { createConsumer } from '@wor/messaging';
import { createApp, defineService, dependencyReadiness, enforcePolicies } from '@wor/service-kit';
import { z } from 'zod';
import { dashboardRoutes } from './dashboards/api';
import { extractRoutes } from './extracts/api';
import { recordEvent } from './monitoring/record';
import { reportingOpenApi } from './openapi';
import { reportingPolicies } from './policies';
import { migrateReporting } from './migrations';
import { practiceRoutes } from './practices/api';
import { referralCountRoutes } from './referral-counts/api';

/** The consumer group keeps its thin-slice name, so its processed-event records stay valid. */
export const REPORTING_CONSUMER = 'reporting.referral-counts';

/** Reporting has no settings of its own (yet): the process configuration covers it. */
export const ReportingSettings = z.object({});

export const createReportingService = defineService(ReportingSettings, async (deps) => {
  const { pool, schema, transport, logger, topicPrefix } = deps;
  await migrateReporting(pool, schema);
  const topics = [Topics.referral, Topics.consent, Topics.socialMap, Topics.accessLog].map((t) => topicPrefix + t);
  const consumer = createConsumer({
    name: `${topicPrefix}${REPORTING_CONSUMER}`,
    topics,
    transport,
    pool,
    schema,
    // Only the contracts' events come in over the wire; reporting's own events only through its API.
    parse: parseIntegrationEvent,
    handle: async (event, tx) => {
      await recordEvent(event, tx);
    },
    logger,
  });

  const app = createApp({
    serviceName: 'reporting',
    logger,
    metrics: deps.metrics,
    authenticate: deps.authenticate,
    openapi: reportingOpenApi,
    routes: (router) => {
      router.use(enforcePolicies(reportingPolicies));
      referralCountRoutes(pool)(router);
      extractRoutes(pool)(router);
      dashboardRoutes(pool)(router);
      practiceRoutes(pool, deps.now)(router);
    },
    readiness: dependencyReadiness(pool, transport),
  });

  return {
    name: 'reporting',
    app,
    async start() {
      await transport.ensureTopics(topics);
      await consumer.start();
    },
    async stop() {
      await consumer.stop();
    },
  };
});
