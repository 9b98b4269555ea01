// FHIR R4 Subscriptions Backport (topic-based, rest-hook, id-only) for the Task topic.
export { subscriptionHandlers, type SubscriptionRoutesDeps } from './api';
export { createDelivery } from './delivery';
export { endpointPolicyOf, type EndpointPolicy } from './endpoint-policy';
export { createSubscriptionProjector, queueNotifications, queueNotificationsMany, subscriptionTables } from './store';
export { taskTopicOf } from './resources';
