// A FHIR Subscription (R4 Subscriptions Backport) as an event-sourced aggregate, one stream per
// subscription: requested → active ⇄ error → off. Only lifecycle changes are events; each delivery
// attempt is a row in fhir_subscription_attempt (delivery.ts), not an event.
import type { Decider, DomainEvent } from '@wor/event-store';
import type { SealedPersonalData } from '@wor/privacy';

export const SUBSCRIPTION_STREAM_PREFIX = 'fhir-subscription-';
export const subscriptionStreamOf = (id: string): string => `${SUBSCRIPTION_STREAM_PREFIX}${id}`;

/** What a GP system asks for: ids and codes, no personal data. */
export type SubscriptionRequest = Readonly<{
  subscriptionId: string;
  /** The requesting practice; also the filter (Task?requester=<it>). */
  organisationId: string;
  reason: string;
  /** The FHIR base the subscriber sees (the subscription and Task URLs in notifications). */
  fhirBase: string;
  endpoint: string;
  /** The names of the channel.header lines, for reading the Subscription back (values never are). */
  headerNames: readonly string[];
  /**
   * The channel.header lines (`Name: value`, e.g. a receiver's bearer token), sent with every POST to the
   * endpoint: sealed with the service's key store, key `subscriptionHeaderKeyOf(id)` (headers.ts).
   */
  sealedHeaders: SealedPersonalData | null;
  /** Only in events from before sealing: the lines in clear. */
  headers?: readonly string[];
  heartbeatSeconds: number | null;
  end: string | null;
  requestedAt: string;
}>;

export type SubscriptionEvent =
  | DomainEvent<'SubscriptionRequested', SubscriptionRequest>
  | DomainEvent<'SubscriptionActivated', { subscriptionId: string; activatedAt: string }>
  | DomainEvent<'SubscriptionErrored', { subscriptionId: string; error: string; erroredAt: string }>
  | DomainEvent<'SubscriptionTurnedOff', { subscriptionId: string; turnedOffAt: string }>;

export type SubscriptionStatus = 'requested' | 'active' | 'error' | 'off';

export type Subscription =
  | { status: 'none' }
  | (SubscriptionRequest & { status: SubscriptionStatus; handshakeDone: boolean; error: string | null });

export type SubscriptionCommand =
  | { type: 'RequestSubscription'; data: SubscriptionRequest }
  /** A handshake or notification reached the endpoint. */
  | { type: 'RecordDelivered'; data: { at: string } }
  /** A handshake or notification did not reach the endpoint. */
  | { type: 'RecordFailed'; data: { error: string; at: string } }
  | { type: 'TurnOff'; data: { at: string } };

export class SubscriptionRefused extends Error {
  override readonly name = 'SubscriptionRefused';
}

export const initialState = (): Subscription => ({ status: 'none' });

export const decide = (command: SubscriptionCommand, state: Subscription): SubscriptionEvent[] => {
  switch (command.type) {
    case 'RequestSubscription':
      if (state.status !== 'none') throw new SubscriptionRefused('The subscription exists.');
      return [{ type: 'SubscriptionRequested', data: command.data }];
    case 'RecordDelivered':
      if (state.status === 'none') throw new SubscriptionRefused('No such subscription.');
      // Active stays active; off stays off (a delivery in flight when it was turned off changes nothing).
      if (state.status === 'active' || state.status === 'off') return [];
      return [
        { type: 'SubscriptionActivated', data: { subscriptionId: state.subscriptionId, activatedAt: command.data.at } },
      ];
    case 'RecordFailed':
      if (state.status === 'none') throw new SubscriptionRefused('No such subscription.');
      if (state.status === 'error' || state.status === 'off') return [];
      return [
        {
          type: 'SubscriptionErrored',
          data: { subscriptionId: state.subscriptionId, error: command.data.error, erroredAt: command.data.at },
        },
      ];
    case 'TurnOff':
      if (state.status === 'none') throw new SubscriptionRefused('No such subscription.');
      if (state.status === 'off') return [];
      return [
        { type: 'SubscriptionTurnedOff', data: { subscriptionId: state.subscriptionId, turnedOffAt: command.data.at } },
      ];
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown command ${(_exhaustive as SubscriptionCommand).type}`);
    }
  }
};

export const evolve = (state: Subscription, event: SubscriptionEvent): Subscription => {
  if (event.type === 'SubscriptionRequested')
    return { ...event.data, status: 'requested', handshakeDone: false, error: null };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'SubscriptionActivated':
      return { ...state, status: 'active', handshakeDone: true, error: null };
    case 'SubscriptionErrored':
      return { ...state, status: 'error', error: event.data.error };
    case 'SubscriptionTurnedOff':
      return { ...state, status: 'off' };
    default: {
      const _exhaustive: never = event;
      throw new Error(`Unknown event ${(_exhaustive as SubscriptionEvent).type}`);
    }
  }
};

export const subscriptionDecider: Decider<SubscriptionCommand, SubscriptionEvent, Subscription> = {
  decide,
  evolve,
  initialState,
};
