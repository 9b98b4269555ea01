// The referral service: GP systems submit referrals, welfare organisations work them; the relays
// publish PII-free facts and the NEN 7513 access log; local views of consent and the social map let
// it decide on its own while those services are down.
import { parseIntegrationEvent, Topics } from '@wor/contracts';
import { migrateProjector, migratePostgresEventStore } from '@wor/event-store-postgres';
import {
  createEventStore,
  createApp,
  dependencyReadiness,
  enforcePolicies,
  idempotency,
  migrateIdempotency,
  requestEventMetadata,
  type ServiceFactory,
} from '@wor/service-kit';
import { createConsumer, createRelay, migrateMessaging } from '@wor/messaging';
import { createErasureFollowUp, ephemeralKeyringDir, migrateSubjectKeyStore, openSubjectKeyStore } from '@wor/privacy';
import { createAccessLog, recordRefusedReport, toAccessLogIntegrationEvents } from './access-log/access-log';
import { referralSettingsFrom } from './config';
import { createTaskIndexProjector, fhirRoutes, migrateTaskIndex } from './fhir';
import { checkAccess, migrateConsentView, projectConsentEvent } from './consent-view';
import { referralOpenApi } from './openapi';
import { referralPolicies } from './policies';
import { needToKnowRoutes } from './need-to-know/api';
import { referralRoutes } from './referral/api';
import { createReferrals } from './referral/application';
import { toIntegrationEvents } from './referral/integration-events';
import { findService, migrateSocialMapView, projectSocialMapEvent } from './social-map-view';
import { createSubjectIndexProjector, migrateSubjectIndex, subjectReportRoutes } from './subject-rights/report';
import { createWorkQueueProjector, migrateWorkQueues, workQueueRoutes } from './work-queues';

export const createReferralService: ServiceFactory = async (deps) => {
  const { pool, schema, transport, logger, topicPrefix } = deps;
  const settings = referralSettingsFrom(process.env);
  await migratePostgresEventStore(pool, schema);
  await migrateMessaging(pool, schema);
  await migrateSubjectKeyStore(pool, schema);
  await migrateProjector(pool, schema);
  await migrateIdempotency(pool);
  await migrateConsentView(pool);
  await migrateSocialMapView(pool);
  await migrateWorkQueues(pool);
  await migrateTaskIndex(pool);
  await migrateSubjectIndex(pool);

  const store = createEventStore({ pool, schema, ...deps.eventStore });
  const keys = await openSubjectKeyStore({
    pool,
    schema,
    masterKey: deps.masterKey,
    previousMasterKeys: deps.previousMasterKeys,
    keyringDir: deps.keyringDir ?? ephemeralKeyringDir(),
    warn: (message) => logger.warn(message),
  });
  // Erasures arrive as SubjectErased in the consent view's transaction; the follow-up's timer finds them.
  const followUp = createErasureFollowUp({ keys, log: logger });
  const topics = {
    referral: topicPrefix + Topics.referral,
    accessLog: topicPrefix + Topics.accessLog,
    consent: topicPrefix + Topics.consent,
    socialMap: topicPrefix + Topics.socialMap,
  };
  const relays = [
    createRelay({
      name: 'referral-events',
      store,
      pool,
      schema,
      transport,
      topic: topics.referral,
      map: toIntegrationEvents,
      logger,
    }),
    createRelay({
      name: 'referral-access-log',
      store,
      pool,
      schema,
      transport,
      topic: topics.accessLog,
      map: toAccessLogIntegrationEvents,
      logger,
    }),
  ];
  const consumers = [
    createConsumer({
      name: `${topicPrefix}referral.consent-view`,
      topics: [topics.consent],
      transport,
      pool,
      schema,
      parse: parseIntegrationEvent,
      handle: projectConsentEvent,
      logger,
    }),
    createConsumer({
      name: `${topicPrefix}referral.social-map-view`,
      topics: [topics.socialMap],
      transport,
      pool,
      schema,
      parse: parseIntegrationEvent,
      handle: projectSocialMapEvent,
      logger,
    }),
  ];
  const workQueues = createWorkQueueProjector({
    store,
    pool,
    schema,
    logger,
    firstContactWorkingDays: settings.firstContactWorkingDays,
  });
  const taskIndex = createTaskIndexProjector({ store, pool, schema, logger });
  const subjectIndex = createSubjectIndexProjector({ store, pool, schema, logger });
  const accessLog = createAccessLog(store, deps.now);

  const referrals = createReferrals({
    store,
    keys,
    accessLog,
    checkAccess: (question) => checkAccess(pool, question),
    findService: (serviceId) => findService(pool, serviceId),
    now: deps.now,
    config: { notReachableAfterAttempts: settings.notReachableAfterAttempts },
  });

  const app = createApp({
    serviceName: 'referral',
    logger,
    metrics: deps.metrics,
    authenticate: deps.authenticate,
    openapi: referralOpenApi,
    routes: (router) => {
      router.use(
        enforcePolicies(referralPolicies, {
          onDenied: ({ caller, detail, requestPath }) =>
            recordRefusedReport(accessLog, caller, requestPath, detail, requestEventMetadata(caller)),
        }),
      );
      router.use(idempotency(pool));
      referralRoutes({ referrals, deps })(router);
      needToKnowRoutes({ referrals, store, now: deps.now })(router);
      // Read-your-writes: a coach who just changed a referral sees it in the queue.
      workQueueRoutes({ pool, now: deps.now, catchUp: () => workQueues.catchUp() })(router);
      fhirRoutes({ referrals, deps, catchUp: () => taskIndex.catchUp() })(router);
      subjectReportRoutes({ store, keys, accessLog, index: subjectIndex, deps })(router);
    },
    readiness: dependencyReadiness(pool, transport),
  });

  return {
    name: 'referral',
    app,
    async start() {
      await transport.ensureTopics(Object.values(topics));
      for (const consumer of consumers) await consumer.start();
      for (const relay of relays) relay.start();
      workQueues.start();
      taskIndex.start();
      subjectIndex.start();
      followUp.start();
    },
    async stop() {
      await followUp.stop();
      await workQueues.stop();
      await taskIndex.stop();
      await subjectIndex.stop();
      for (const relay of relays) await relay.stop();
      for (const consumer of consumers) await consumer.stop();
    },
  };
};
