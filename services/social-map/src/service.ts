// The social-map service: the sociale kaart, kept by key-users, published to the chain as events.
import { Topics } from '@wor/contracts';
import { createPostgresEventStore, createProjector, migratePostgresEventStore, migrateProjector } from '@wor/event-store';
import { createRelay, migrateMessaging } from '@wor/messaging';
import { createApp, dependencyReadiness, type ServiceFactory } from '@wor/service-kit';
import { serviceRoutes } from './services/api';
import { toIntegrationEvents } from './services/integration-events';
import { migrateServiceList, projectServiceList } from './services/list-projection';

export const createSocialMapService: ServiceFactory = async (deps) => {
  const { pool, schema, transport, logger } = deps;
  await migratePostgresEventStore(pool, schema);
  await migrateMessaging(pool, schema);
  await migrateProjector(pool, schema);
  await migrateServiceList(pool);
  const store = createPostgresEventStore({ pool, schema });
  const topic = deps.topicPrefix + Topics.socialMap;
  const relay = createRelay({ name: 'social-map-events', store, pool, schema, transport, topic, map: toIntegrationEvents, logger });
  const list = createProjector({
    name: 'service-list',
    store,
    pool,
    schema,
    project: projectServiceList,
    onError: (error) => logger.error({ err: error }, 'service-list projection failed'),
  });

  const app = createApp({
    serviceName: 'social-map',
    logger,
    metrics: deps.metrics,
    authenticate: deps.authenticate,
    routes: serviceRoutes({ store, list, deps }),
    readiness: dependencyReadiness(pool, transport),
  });

  return {
    name: 'social-map',
    app,
    async start() {
      await transport.ensureTopics([topic]);
      list.start();
      relay.start();
    },
    async stop() {
      await relay.stop();
      await list.stop();
    },
  };
};
