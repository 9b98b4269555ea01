// The reporting service: every figure is a projection of integration events, never another service's tables.
import { parseIntegrationEvent, Topics } from '@wor/contracts';
import { createConsumer, migrateMessaging } from '@wor/messaging';
import { createApp, dependencyReadiness, type ServiceFactory } from '@wor/service-kit';
import { referralCountRoutes } from './referral-counts/api';
import { migrateReferralCounts, projectReferralCounts } from './referral-counts/projection';

export const createReportingService: ServiceFactory = async (deps) => {
  const { pool, schema, transport, logger, topicPrefix } = deps;
  await migrateMessaging(pool, schema);
  await migrateReferralCounts(pool);
  const topic = topicPrefix + Topics.referral;
  const referralCounts = createConsumer({
    name: `${topicPrefix}reporting.referral-counts`,
    topics: [topic],
    transport,
    pool,
    schema,
    parse: parseIntegrationEvent,
    handle: projectReferralCounts,
    logger,
  });

  const app = createApp({
    serviceName: 'reporting',
    logger,
    metrics: deps.metrics,
    authenticate: deps.authenticate,
    routes: referralCountRoutes(pool),
    readiness: dependencyReadiness(pool, transport),
  });

  return {
    name: 'reporting',
    app,
    async start() {
      await transport.ensureTopics([topic]);
      await referralCounts.start();
    },
    async stop() {
      await referralCounts.stop();
    },
  };
};
