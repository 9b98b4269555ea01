// The consent service: consents and objections (AVG art. 9 explicit consent), the data-sharing
// agreements registry, access decisions, the NEN 7513 access log of every service, and subject rights.
import { parseIntegrationEvent, Topics, type IntegrationEvent } from '@wor/contracts';
import { onAppend, type RecordedEvent } from '@wor/event-store';
import { createProjector } from '@wor/event-store-postgres';
import {
  createEventStore,
  createApp,
  defineService,
  dependencyReadiness,
  enforcePolicies,
  fhirSettingsOf,
  rolesOf,
} from '@wor/service-kit';
import { createConsumer, createRelay } from '@wor/messaging';
import { createErasureFollowUp, ephemeralKeyringDir, openSubjectKeyStore } from '@wor/privacy';
import type { Router } from 'express';
import { chainKey, purgeExpired } from './access-log/chain';
import { accessLogRoutes } from './access-log/api';
import { logOwnAccess } from './access-log/own-access';
import { ingestAccessLogged, ingestAccessLoggedMany } from './access-log/ingest';
import { agreementRoutes, expireDueAgreements } from './agreement/api';
import { agreementIntegrationEvents } from './agreement/integration-events';
import { projectAgreement } from './agreement/projection';
import { consentRoutes } from './consent/api';
import { toIntegrationEvents as consentIntegrationEvents } from './consent/integration-events';
import { projectConsent } from './consent/projection';
import { migrateConsent } from './migrations';
import { ConsentSettings } from './settings';
import { decisionRoutes } from './decision/api';
import { fhirConsentMetadataRoute, fhirConsentRoutes } from './fhir/api';
import { consentOpenApi } from './openapi';
import { consentPolicies } from './policies';
import { subjectRightsRoutes } from './subject-rights/api';
import { subjectIntegrationEvents } from './subject-rights/integration-events';

/** Each stream's events by its id's prefix: consent-, agreement-, subject-. */
const toIntegrationEvents = (event: RecordedEvent): IntegrationEvent[] => {
  if (event.streamId.startsWith('agreement-')) return agreementIntegrationEvents(event);
  if (event.streamId.startsWith('subject-')) return subjectIntegrationEvents(event);
  return consentIntegrationEvents(event);
};

export const createConsentService = defineService(ConsentSettings, async (deps, settings) => {
  const { pool, schema, transport, logger, topicPrefix } = deps;
  const retention = settings.WOR_ACCESS_LOG_RETENTION_YEARS;
  const fhir = fhirSettingsOf(settings);
  await migrateConsent(pool, schema);
  // Each append wakes the relay at once (the poll stays for other instances' appends).
  const store = onAppend(createEventStore({ pool, schema, ...deps.eventStore }), () => relay.nudge());
  const keys = await openSubjectKeyStore({
    pool,
    schema,
    masterKey: deps.masterKey,
    previousMasterKeys: deps.previousMasterKeys,
    keyringDir: deps.keyringDir ?? ephemeralKeyringDir(),
    warn: (message) => logger.warn(message),
  });
  const followUp = createErasureFollowUp({ keys, log: logger });
  const topic = topicPrefix + Topics.consent;
  const accessLogTopic = topicPrefix + Topics.accessLog;
  const relay = createRelay({
    name: 'consent-events',
    store,
    pool,
    schema,
    transport,
    topic,
    map: toIntegrationEvents,
    logger,
  });
  const projector = createProjector({
    name: 'consent-read-models',
    store,
    pool,
    schema,
    project: async (events, tx) => {
      for (const event of events) {
        await projectConsent(event, tx);
        await projectAgreement(event, tx);
      }
    },
    onError: (error) => logger.error({ err: error }, 'consent read-model projection failed'),
  });
  const accessLog = createConsumer({
    name: `${topicPrefix}consent.access-log`,
    topics: [accessLogTopic],
    transport,
    pool,
    schema,
    parse: parseIntegrationEvent,
    handle: ingestAccessLogged(chainKey(deps.pseudonymSecret)),
    handleMany: ingestAccessLoggedMany(chainKey(deps.pseudonymSecret)),
    logger,
  });

  const routes = [
    consentRoutes({ store, keys, deps }),
    fhirConsentRoutes({ store, keys, deps }, fhir),
    agreementRoutes({ store, deps }),
    decisionRoutes({ deps }),
    accessLogRoutes({ deps }),
    subjectRightsRoutes({ store, keys, followUp, deps, referralUrl: settings.WOR_REFERRAL_URL }),
  ];
  const app = createApp({
    serviceName: 'consent',
    logger,
    metrics: deps.metrics,
    authenticate: deps.authenticate,
    openapi: consentOpenApi,
    publicRoutes: fhirConsentMetadataRoute(fhir),
    routes: (router: Router) => {
      router.use(
        enforcePolicies(consentPolicies, {
          // A refused look into the access log or subject rights is itself an access-log entry.
          onDenied: ({ caller, match }) =>
            logOwnAccess(deps, caller, deps.now(), {
              subjectId: null,
              purpose: 'privacy-oversight',
              resource: { type: match.policy.auditDenied!, id: 'all' },
              outcome: 'denied',
              reason: `requires one of the roles ${rolesOf(match.policy).join(', ')}`,
            }),
        }),
      );
      routes.forEach((r) => r(router));
    },
    readiness: dependencyReadiness(pool, transport),
  });

  // Housekeeping: agreements past their end expire; access-log entries past retention go (chain re-anchored).
  let housekeeping: NodeJS.Timeout | undefined;
  const keepHouse = async () => {
    try {
      await expireDueAgreements(pool, store, deps.now());
      await purgeExpired(pool, retention, deps.now());
    } catch (error) {
      logger.error({ err: error }, 'consent housekeeping failed');
    }
  };

  return {
    name: 'consent',
    app,
    async start() {
      await transport.ensureTopics([topic, accessLogTopic]);
      projector.start();
      await accessLog.start();
      relay.start();
      followUp.start();
      housekeeping = setInterval(() => void keepHouse(), 60_000);
      housekeeping.unref();
    },
    async stop() {
      if (housekeeping) clearInterval(housekeeping);
      await followUp.stop();
      await relay.stop();
      await accessLog.stop();
      await projector.stop();
    },
  };
});
