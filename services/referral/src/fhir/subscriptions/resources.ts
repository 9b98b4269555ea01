// The FHIR shapes of the R4 Subscriptions Backport (STU 1.1): the Subscription a GP system posts and
// reads, and the notification Bundles (history, first entry a backport-subscription-status-r4
// Parameters). Payload id-only: a notification names the Task, never its content.
import { HttpProblem, narrative } from '@wor/service-kit';
import { SYSTEMS } from '../mapping';
import type { Subscription, SubscriptionRequest, SubscriptionStatus } from './subscription';

const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport';
export const BACKPORT_URLS = {
  subscriptionProfile: `${BACKPORT}/StructureDefinition/backport-subscription`,
  notificationProfile: `${BACKPORT}/StructureDefinition/backport-subscription-notification-r4`,
  statusProfile: `${BACKPORT}/StructureDefinition/backport-subscription-status-r4`,
  filterCriteria: `${BACKPORT}/StructureDefinition/backport-filter-criteria`,
  payloadContent: `${BACKPORT}/StructureDefinition/backport-payload-content`,
  heartbeatPeriod: `${BACKPORT}/StructureDefinition/backport-heartbeat-period`,
  timeout: `${BACKPORT}/StructureDefinition/backport-timeout`,
} as const;

/** The platform's one topic: a Task was created or its status changed. */
export const taskTopicOf = (canonicalBase: string): string => `${canonicalBase}/SubscriptionTopic/task-changes`;

export type NotificationType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-status';

type Json = Record<string, unknown>;
type Issue = { path: string; message: string };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const extensionsOf = (element: unknown, url: string): Json[] =>
  isObject(element) && Array.isArray(element.extension)
    ? (element.extension as unknown[]).filter((e): e is Json => isObject(e) && e.url === url)
    : [];

const invalid = (issues: Issue[]): HttpProblem =>
  new HttpProblem({
    status: 422,
    title: 'Unprocessable Content',
    detail: 'The Subscription is invalid.',
    extra: { errors: issues },
  });

/** `Task?requester=` in the forms Task search takes: <id>, system|<id>, :identifier=system|<id>. */
const requesterOf = (filter: string): string | undefined => {
  const match = /^Task\?requester(?::identifier)?=(?:([^|&]+)\|)?([^|&=]+)$/.exec(filter.trim());
  if (!match || (match[1] !== undefined && match[1] !== SYSTEMS.organisation)) return undefined;
  try {
    return decodeURIComponent(match[2]!);
  } catch {
    return undefined; // a malformed %-escape names nobody
  }
};

const HEADER = /^[A-Za-z0-9-]{1,64}: ?[\x20-\x7e]{1,2000}$/;
/** Headers the platform sets itself. */
const RESERVED = /^(host|content-type|content-length|transfer-encoding|connection):/i;

/** A posted Subscription, checked: the request with its header lines still in clear (api.ts seals them). */
export type PostedSubscription = Omit<SubscriptionRequest, 'headerNames' | 'sealedHeaders' | 'headers'> & {
  headers: readonly string[];
};

/** The name of a `Name: value` header line. */
export const headerNameOf = (line: string): string => line.slice(0, line.indexOf(':')).trim();

/**
 * The request in a posted Subscription, checked. The filter must name the caller's own organisation
 * (403 otherwise); without one it is the caller's organisation.
 */
export const readSubscription = (
  body: unknown,
  context: { canonicalBase: string; fhirBase: string; organisationId: string; subscriptionId: string; now: Date },
): PostedSubscription => {
  const issues: Issue[] = [];
  const fail = (path: string, message: string) => issues.push({ path, message });
  if (!isObject(body) || body.resourceType !== 'Subscription')
    throw invalid([{ path: 'Subscription', message: 'a Subscription' }]);
  const topic = taskTopicOf(context.canonicalBase);
  if (body.criteria !== topic) fail('Subscription.criteria', `the topic ${topic}`);
  if (body.status !== undefined && body.status !== 'requested' && body.status !== 'active')
    fail('Subscription.status', "'requested' (the server activates it after the handshake)");
  if (body.reason !== undefined && typeof body.reason !== 'string') fail('Subscription.reason', 'a string');
  let end: string | null = null;
  if (body.end !== undefined) {
    if (typeof body.end !== 'string' || Number.isNaN(Date.parse(body.end))) fail('Subscription.end', 'an instant');
    else end = new Date(body.end).toISOString();
  }
  const filters = extensionsOf(body._criteria, BACKPORT_URLS.filterCriteria);
  filters.forEach((f, i) => {
    const path = `Subscription.criteria.extension[${i}].valueString`;
    const requester = typeof f.valueString === 'string' ? requesterOf(f.valueString) : undefined;
    if (requester === undefined) fail(path, 'Task?requester=<your organisation id> (the one filter this topic has)');
    else if (requester !== context.organisationId)
      throw new HttpProblem({
        status: 403,
        title: 'Forbidden',
        detail: `The filter names another organisation than yours (${context.organisationId}).`,
      });
  });
  const channel = isObject(body.channel) ? body.channel : {};
  if (!isObject(body.channel)) fail('Subscription.channel', 'a channel');
  if (channel.type !== 'rest-hook') fail('Subscription.channel.type', "'rest-hook' (the one channel supported)");
  let endpoint = '';
  try {
    const url = new URL(String(channel.endpoint));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
    endpoint = url.toString();
  } catch {
    fail('Subscription.channel.endpoint', 'an http or https URL');
  }
  if (channel.payload !== undefined && channel.payload !== 'application/fhir+json')
    fail('Subscription.channel.payload', "'application/fhir+json'");
  const content = extensionsOf(channel._payload, BACKPORT_URLS.payloadContent);
  if (content.some((c) => c.valueCode !== 'id-only'))
    fail('Subscription.channel.payload.extension', "payload content 'id-only' (notifications carry no personal data)");
  const headers = channel.header === undefined ? [] : channel.header;
  if (
    !Array.isArray(headers) ||
    headers.length > 10 ||
    headers.some((h) => typeof h !== 'string' || !HEADER.test(h) || RESERVED.test(h))
  )
    fail('Subscription.channel.header', "at most 10 lines 'Name: value' (not Host, Content-Type or Content-Length)");
  let heartbeatSeconds: number | null = null;
  const heartbeat = extensionsOf(channel, BACKPORT_URLS.heartbeatPeriod)[0];
  if (heartbeat) {
    const seconds = heartbeat.valueUnsignedInt;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > 86_400)
      fail('Subscription.channel.extension', 'a heartbeat period of 1 to 86400 seconds');
    else heartbeatSeconds = seconds;
  }
  if (issues.length) throw invalid(issues);
  return {
    subscriptionId: context.subscriptionId,
    organisationId: context.organisationId,
    reason: typeof body.reason === 'string' && body.reason ? body.reason : 'Task changes',
    fhirBase: context.fhirBase,
    endpoint,
    headers: headers as string[],
    heartbeatSeconds,
    end,
    requestedAt: context.now.toISOString(),
  };
};

/** The status a posted or read Subscription may be changed to: only `off` is a change here. */
export const statusChangeOf = (body: unknown, current: Subscription & { status: SubscriptionStatus }): 'off' | null => {
  if (!isObject(body) || body.resourceType !== 'Subscription')
    throw invalid([{ path: 'Subscription', message: 'a Subscription' }]);
  if (body.status === 'off') return 'off';
  if (body.status === current.status || (body.status === 'active' && current.status !== 'off')) return null;
  throw invalid([
    { path: 'Subscription.status', message: "'off' turns the subscription off; no other change is possible" },
  ]);
};

export type SubscriptionView = Subscription & { status: SubscriptionStatus; version: number; lastChangedAt: string };

/** What a header's value reads as. */
export const HIDDEN = '[sealed]';
const namesOf = (s: SubscriptionRequest): readonly string[] => s.headerNames ?? (s.headers ?? []).map(headerNameOf);

/** The Subscription as R4 with the backport's extensions. */
export const toSubscription = (s: SubscriptionView, canonicalBase: string) => ({
  resourceType: 'Subscription',
  id: s.subscriptionId,
  meta: { versionId: String(s.version), lastUpdated: s.lastChangedAt, profile: [BACKPORT_URLS.subscriptionProfile] },
  text: narrative([`Subscription to Task changes of ${s.organisationId}: ${s.status}`]),
  status: s.status,
  ...(s.end ? { end: s.end } : {}),
  reason: s.reason,
  criteria: taskTopicOf(canonicalBase),
  _criteria: {
    extension: [
      {
        url: BACKPORT_URLS.filterCriteria,
        valueString: `Task?requester=${SYSTEMS.organisation}|${s.organisationId}`,
      },
    ],
  },
  ...(s.error ? { error: s.error } : {}),
  channel: {
    ...(s.heartbeatSeconds
      ? { extension: [{ url: BACKPORT_URLS.heartbeatPeriod, valueUnsignedInt: s.heartbeatSeconds }] }
      : {}),
    type: 'rest-hook',
    endpoint: s.endpoint,
    payload: 'application/fhir+json',
    _payload: { extension: [{ url: BACKPORT_URLS.payloadContent, valueCode: 'id-only' }] },
    // The values are secrets of the receiver (sealed): read back, a header shows its name only.
    ...(namesOf(s).length ? { header: namesOf(s).map((name) => `${name}: ${HIDDEN}`) } : {}),
  },
});

/** One Task change for a subscriber; `created` when the Task was created (ReferralRequested). */
export type NotificationEvent = Readonly<{
  eventNumber: number;
  referralId: string;
  occurredAt: string;
  created: boolean;
}>;

/** The backport-subscription-status-r4 Parameters (of a notification and of $status). */
export const statusParameters = (input: {
  fhirBase: string;
  canonicalBase: string;
  subscriptionId: string;
  status: SubscriptionStatus;
  type: NotificationType;
  eventsSinceStart: number;
  events?: readonly NotificationEvent[];
  errors?: readonly string[];
}) => ({
  resourceType: 'Parameters',
  meta: { profile: [BACKPORT_URLS.statusProfile] },
  parameter: [
    { name: 'subscription', valueReference: { reference: `${input.fhirBase}/Subscription/${input.subscriptionId}` } },
    { name: 'topic', valueCanonical: taskTopicOf(input.canonicalBase) },
    { name: 'status', valueCode: input.status },
    { name: 'type', valueCode: input.type },
    // R4 has no integer64: the backport carries the counts as strings.
    { name: 'events-since-subscription-start', valueString: String(input.eventsSinceStart) },
    ...(input.events ?? []).map((e) => ({
      name: 'notification-event',
      part: [
        { name: 'event-number', valueString: String(e.eventNumber) },
        { name: 'timestamp', valueInstant: e.occurredAt },
        { name: 'focus', valueReference: { reference: `${input.fhirBase}/Task/${e.referralId}` } },
      ],
    })),
    ...(input.errors ?? []).map((text) => ({ name: 'error', valueCodeableConcept: { text } })),
  ],
});

/**
 * A notification Bundle (history): the status Parameters first, then for an event-notification the
 * focus Task by its full URL only (id-only: no resource).
 */
export const notificationBundle = (input: Parameters<typeof statusParameters>[0] & { bundleId: string; at: Date }) => {
  const parameters = statusParameters(input);
  const statusUrl = `${input.fhirBase}/Subscription/${input.subscriptionId}/$status`;
  return {
    resourceType: 'Bundle',
    id: input.bundleId,
    meta: { profile: [BACKPORT_URLS.notificationProfile] },
    type: 'history',
    timestamp: input.at.toISOString(),
    entry: [
      {
        fullUrl: `urn:uuid:${input.bundleId}`,
        resource: { ...parameters, id: input.bundleId },
        request: { method: 'GET', url: statusUrl },
        response: { status: '200' },
      },
      ...(input.events ?? []).map((e) => ({
        fullUrl: `${input.fhirBase}/Task/${e.referralId}`,
        request: e.created ? { method: 'POST', url: 'Task' } : { method: 'PUT', url: `Task/${e.referralId}` },
        response: { status: e.created ? '201' : '200' },
      })),
    ],
  };
};
