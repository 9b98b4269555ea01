// The consent service: records consent (AVG art. 9 explicit consent) and publishes PII-free facts.
import { Topics } from '@wor/contracts';
import { createPostgresEventStore, migratePostgresEventStore } from '@wor/event-store';
import { createRelay, migrateMessaging } from '@wor/messaging';
import { createApp, dependencyReadiness, type ServiceFactory } from '@wor/service-kit';
import { consentRoutes } from './consent/api';
import { toIntegrationEvents } from './consent/integration-events';

export const createConsentService: ServiceFactory = async (deps) => {
  const { pool, schema, transport, logger } = deps;
  await migratePostgresEventStore(pool, schema);
  await migrateMessaging(pool, schema);
  const store = createPostgresEventStore({ pool, schema });
  const topic = deps.topicPrefix + Topics.consent;
  const relay = createRelay({ name: 'consent-events', store, pool, schema, transport, topic, map: toIntegrationEvents, logger });

  const app = createApp({
    serviceName: 'consent',
    logger,
    metrics: deps.metrics,
    authenticate: deps.authenticate,
    routes: consentRoutes({ store, deps }),
    readiness: dependencyReadiness(pool, transport),
  });

  return {
    name: 'consent',
    app,
    async start() {
      await transport.ensureTopics([topic]);
      relay.start();
    },
    async stop() {
      await relay.stop();
    },
  };
};
