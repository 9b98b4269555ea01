// The social-map service: the sociale kaart in Open Referral HSDS 3.0, kept by each municipality's
// key-users, searched by coaches, published to the chain as PII-free events.
import { parseIntegrationEvent, Topics } from '@wor/contracts';
import { createProjector } from '@wor/event-store-postgres';
import { createEventStore, createApp, dependencyReadiness, defineService, enforcePolicies } from '@wor/service-kit';
import { onAppend } from '@wor/event-store';
import { createConsumer, createRelay } from '@wor/messaging';
import { z } from 'zod';
import type { Router } from 'express';
import type { MapContext } from './context';
import { directoryRoutes } from './directory/api';
import { projectDirectory } from './directory/projection';
import { exchangeRoutes } from './exchange/api';
import { socialMapIntegrationEvents } from './integration-events';
import { keyUserRoutes } from './key-users/api';
import { organizationRoutes } from './organizations/api';
import { socialMapOpenApi } from './openapi';
import { socialMapPolicies } from './policies';
import { serviceRoutes } from './services/api';
import { migrateSocialMap } from './migrations';
import { projectReferralLinks } from './statistics/statistics';

/** The social map has no settings of its own (yet): the process configuration covers it. */
export const SocialMapSettings = z.object({});

export const createSocialMapService = defineService(SocialMapSettings, async (deps) => {
  const { pool, schema, transport, logger, topicPrefix } = deps;
  await migrateSocialMap(pool, schema);
  // Each append wakes the relay at once (the poll stays for other instances' appends).
  const store = onAppend(createEventStore({ pool, schema, ...deps.eventStore }), () => relay.nudge());
  const topic = topicPrefix + Topics.socialMap;
  const referralTopic = topicPrefix + Topics.referral;
  const relay = createRelay({
    name: 'social-map-events',
    store,
    pool,
    schema,
    transport,
    topic,
    map: socialMapIntegrationEvents(deps.pseudonymSecret),
    logger,
  });
  const directory = createProjector({
    name: 'social-map-directory',
    store,
    pool,
    schema,
    project: projectDirectory,
    onError: (error) => logger.error({ err: error }, 'directory projection failed'),
  });
  const referralLinks = createConsumer({
    name: `${topicPrefix}social-map.referral-links`,
    topics: [referralTopic],
    transport,
    pool,
    schema,
    parse: parseIntegrationEvent,
    handle: projectReferralLinks,
    logger,
  });

  const ctx: MapContext = { store, directory, deps };
  const app = createApp({
    serviceName: 'social-map',
    logger,
    metrics: deps.metrics,
    authenticate: deps.authenticate,
    openapi: socialMapOpenApi,
    // Imports of a whole municipality's map are larger than one request usually is.
    bodyLimit: '20mb',
    // CSV files travel as strings in the tabular import's body; its schema caps each at 20 MB.
    inputLimitsByRoute: { 'POST /imports/hsds/tabular': { bodyString: 20_000_000 } },
    routes: (router: Router) => {
      router.use(enforcePolicies(socialMapPolicies));
      directoryRoutes(ctx)(router);
      serviceRoutes(ctx)(router);
      organizationRoutes(ctx)(router);
      keyUserRoutes(ctx)(router);
      exchangeRoutes(ctx)(router);
    },
    readiness: dependencyReadiness(pool, transport),
  });

  return {
    name: 'social-map',
    app,
    async start() {
      await transport.ensureTopics([topic, referralTopic]);
      directory.start();
      await referralLinks.start();
      relay.start();
    },
    async stop() {
      await relay.stop();
      await referralLinks.stop();
      await directory.stop();
    },
  };
});
