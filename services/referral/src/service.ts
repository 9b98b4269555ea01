// The referral service: GP systems submit referrals, welfare organisations work them; the relays
// publish PII-free facts and the NEN 7513 access log; local views of consent and the social map let
// it decide on its own while those services are down.
import { parseIntegrationEvent, Topics } from '@wor/contracts';
import {
  createEventStore,
  createApp,
  dependencyReadiness,
  enforcePolicies,
  defineService,
  fhirSettingsOf,
  idempotency,
  requestEventMetadata,
} from '@wor/service-kit';
import { onAppend } from '@wor/event-store';
import { createConsumer, createRelay } from '@wor/messaging';
import { createErasureFollowUp, ephemeralKeyringDir, openSubjectKeyStore } from '@wor/privacy';
import { createAccessLog, recordRefusedReport, toAccessLogIntegrationEvents } from './access-log/access-log';
import { ReferralSettings } from './config';
import { createTaskIndexProjector, fhirMetadataRoute, fhirRoutes } from './fhir';
import { createProcedures } from './procedure/procedures';
import {
  createDelivery,
  createSubscriptionProjector,
  endpointPolicyOf,
  queueNotifications,
  queueNotificationsMany,
  subscriptionHandlers,
} from './fhir/subscriptions';
import { checkAccess, projectConsentEvent } from './consent-view';
import { migrateReferral } from './migrations';
import { referralOpenApi } from './openapi';
import { referralPolicies } from './policies';
import { needToKnowRoutes } from './need-to-know/api';
import { referralRoutes } from './referral/api';
import { createReferrals } from './referral/application';
import { toIntegrationEvents } from './referral/integration-events';
import { findService, projectSocialMapEvent } from './social-map-view';
import { createSubjectIndexProjector, subjectReportRoutes } from './subject-rights/report';
import { createWorkQueueProjector, workQueueRoutes } from './work-queues';
import {
  capacityRoutes,
  createCapacityProjector,
  createCapacityReader,
  healthcareServiceHandlers,
  toCapacityIntegrationEvents,
} from './capacity';
import {
  createAddressBook,
  createFeedbackQueue,
  createFeedbackSender,
  createInbox,
  feedbackDetailOf,
  zorgdomeinRoutes,
} from './zorgdomein';

export const createReferralService = defineService(ReferralSettings, async (deps, settings) => {
  const { pool, schema, transport, logger, topicPrefix } = deps;
  const fhir = fhirSettingsOf(settings);
  await migrateReferral(pool, schema);

  // Each append wakes the relays at once (the poll stays for other instances' appends).
  const store = onAppend(createEventStore({ pool, schema, ...deps.eventStore }), () => {
    for (const relay of relays) relay.nudge();
  });
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
      // Referral steps and capacity plans: the referral service's events, on its one topic.
      map: (recorded) => [...toIntegrationEvents(recorded), ...toCapacityIntegrationEvents(recorded)],
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
  // The views this service keeps of integration events: a consumer group per view, on one topic each.
  const views = [
    { view: 'consent-view', topic: topics.consent, handle: projectConsentEvent },
    { view: 'social-map-view', topic: topics.socialMap, handle: projectSocialMapEvent },
    // The Task topic of FHIR Subscriptions: the service's own referral events, as any consumer gets them.
    {
      view: 'fhir-subscriptions',
      topic: topics.referral,
      handle: queueNotifications,
      handleMany: queueNotificationsMany,
    },
  ];
  const consumers = views.map(({ view, topic, ...handlers }) =>
    createConsumer({
      name: `${topicPrefix}referral.${view}`,
      topics: [topic],
      transport,
      pool,
      schema,
      parse: parseIntegrationEvent,
      logger,
      ...handlers,
    }),
  );
  const workQueues = createWorkQueueProjector({
    store,
    pool,
    schema,
    logger,
    firstContactWorkingDays: settings.REFERRAL_FIRST_CONTACT_WORKING_DAYS,
  });
  const taskIndex = createTaskIndexProjector({ store, pool, schema, logger });
  const subjectIndex = createSubjectIndexProjector({ store, pool, schema, logger });
  const capacity = createCapacityProjector({ store, pool, schema, logger });
  const capacityReader = createCapacityReader({ pool, now: deps.now });
  const accessLog = createAccessLog(store, deps.now);
  const subscriptions = createSubscriptionProjector({ store, pool, schema, logger });
  const endpoints = endpointPolicyOf(settings.REFERRAL_SUBSCRIPTION_ALLOWED_HOSTS);
  const delivery = createDelivery({
    pool,
    store,
    logger,
    now: deps.now,
    canonicalBase: fhir.canonicalBase,
    catchUp: () => subscriptions.catchUp(),
    tickMs: settings.REFERRAL_SUBSCRIPTION_TICK_MS,
    backoff: {
      baseMs: settings.REFERRAL_SUBSCRIPTION_RETRY_BASE_MS,
      capMs: settings.REFERRAL_SUBSCRIPTION_RETRY_CAP_MS,
    },
    endpoints,
    keys,
  });

  const referrals = createReferrals({
    store,
    keys,
    accessLog,
    checkAccess: (question) => checkAccess(pool, question),
    findService: (serviceId) => findService(pool, serviceId),
    now: deps.now,
    config: { notReachableAfterAttempts: settings.REFERRAL_NOT_REACHABLE_AFTER_ATTEMPTS },
  });

  const addresses = createAddressBook(pool);
  const inbox = createInbox({
    pool,
    keys,
    referrals,
    accessLog,
    addresses,
    checkAccess: (question) => checkAccess(pool, question),
    pseudonymSecret: deps.pseudonymSecret,
    now: deps.now,
    logger,
    retryMs: settings.REFERRAL_ZORGDOMEIN_RETRY_MS,
  });

  const feedbackQueue = createFeedbackQueue({ store, pool, schema, logger });
  const feedbackSender = createFeedbackSender({
    pool,
    store,
    keys,
    accessLog,
    checkAccess: (question) => checkAccess(pool, question),
    endpoint: settings.REFERRAL_ZORGDOMEIN_FEEDBACK_URL,
    token: settings.REFERRAL_ZORGDOMEIN_FEEDBACK_TOKEN,
    detailFor: (practiceId, organisationId) => feedbackDetailOf(pool, practiceId, organisationId),
    now: deps.now,
    logger,
    intervalMs: settings.REFERRAL_ZORGDOMEIN_RETRY_MS,
    backoff: { baseMs: settings.REFERRAL_ZORGDOMEIN_RETRY_MS, capMs: 3_600_000 },
  });

  const app = createApp({
    serviceName: 'referral',
    logger,
    metrics: deps.metrics,
    authenticate: deps.authenticate,
    openapi: referralOpenApi,
    largeBodies: [{ path: '/zorgdomein/Bundle', limit: '10mb' }],
    // A referral document's attachments are base64 strings (up to 5 MB each; the document schema caps them).
    inputLimitsByRoute: { 'POST /zorgdomein/Bundle': { bodyString: 7_000_000 } },
    publicRoutes: fhirMetadataRoute(fhir),
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
      fhirRoutes({
        referrals,
        procedures: createProcedures({ store, now: deps.now }),
        deps,
        fhir,
        catchUp: () => taskIndex.catchUp(),
        subscriptions: subscriptionHandlers({
          pool,
          store,
          fhir,
          now: deps.now,
          catchUp: () => subscriptions.catchUp(),
          endpoints,
          keys,
        }),
        healthcareService: healthcareServiceHandlers(async (organisationId) => {
          await capacity.catchUp();
          return (await capacityReader.knows(organisationId)) ? capacityReader.capacity(organisationId) : undefined;
        }, fhir),
      })(router);
      subjectReportRoutes({ store, keys, accessLog, index: subjectIndex, deps })(router);
      zorgdomeinRoutes({ inbox, addresses, deps })(router);
      capacityRoutes({ store, pool, now: deps.now, catchUp: () => capacity.catchUp() })(router);
    },
    readiness: dependencyReadiness(pool, transport),
  });

  return {
    name: 'referral',
    app,
    /** The application service REST and FHIR call, for in-process callers and tests. */
    referrals,
    async start() {
      await transport.ensureTopics(Object.values(topics));
      for (const consumer of consumers) await consumer.start();
      for (const relay of relays) relay.start();
      workQueues.start();
      taskIndex.start();
      subjectIndex.start();
      capacity.start();
      subscriptions.start();
      delivery.start();
      feedbackQueue.start();
      feedbackSender.start();
      followUp.start();
      inbox.start();
    },
    async stop() {
      await followUp.stop();
      await inbox.stop();
      await workQueues.stop();
      await taskIndex.stop();
      await subjectIndex.stop();
      await capacity.stop();
      await delivery.stop();
      await subscriptions.stop();
      await feedbackSender.stop();
      await feedbackQueue.stop();
      for (const relay of relays) await relay.stop();
      for (const consumer of consumers) await consumer.stop();
    },
  };
});
