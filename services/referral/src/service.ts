// The referral service: GP systems submit referrals; the relay publishes PII-free facts.
import { parseIntegrationEvent, Topics } from '@wor/contracts';
import { createPostgresEventStore, migratePostgresEventStore } from '@wor/event-store';
import { createConsumer, createRelay, migrateMessaging } from '@wor/messaging';
import { createSubjectKeyStore, migrateSubjectKeyStore } from '@wor/privacy';
import { createApp, dependencyReadiness, type ServiceFactory } from '@wor/service-kit';
import { migrateConsentView, projectConsentEvent } from './consent-view/consent-view';
import { referralRoutes } from './referral/api';
import { toIntegrationEvents } from './referral/integration-events';

export const createReferralService: ServiceFactory = async (deps) => {
  const { pool, schema, transport, logger, topicPrefix } = deps;
  await migratePostgresEventStore(pool, schema);
  await migrateMessaging(pool, schema);
  await migrateSubjectKeyStore(pool, schema);
  await migrateConsentView(pool);
  const store = createPostgresEventStore({ pool, schema });
  const keys = createSubjectKeyStore({ pool, schema, masterKey: deps.masterKey });
  const topic = topicPrefix + Topics.referral;
  const relay = createRelay({ name: 'referral-events', store, pool, schema, transport, topic, map: toIntegrationEvents, logger });
  const consentView = createConsumer({
    name: `${topicPrefix}referral.consent-view`,
    topics: [topicPrefix + Topics.consent],
    transport,
    pool,
    schema,
    parse: parseIntegrationEvent,
    handle: projectConsentEvent,
    logger,
  });

  const app = createApp({
    serviceName: 'referral',
    logger,
    metrics: deps.metrics,
    authenticate: deps.authenticate,
    routes: referralRoutes({ store, keys, deps }),
    readiness: dependencyReadiness(pool, transport),
  });

  return {
    name: 'referral',
    app,
    async start() {
      await transport.ensureTopics([topic, topicPrefix + Topics.consent]);
      await consentView.start();
      relay.start();
    },
    async stop() {
      await relay.stop();
      await consentView.stop();
    },
  };
};
