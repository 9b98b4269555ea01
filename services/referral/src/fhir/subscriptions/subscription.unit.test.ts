import {
  decide,
  evolve,
  initialState,
  SubscriptionRefused,
  type SubscriptionCommand,
  type SubscriptionEvent,
  type SubscriptionRequest,
} from './subscription';

const request: SubscriptionRequest = {
  subscriptionId: '6f1c1a0e-7d4b-4c44-9a55-1f0f3a1e2b3c',
  organisationId: 'huisarts-beterschap',
  reason: 'Task changes',
  fhirBase: 'https://fhir.example/fhir',
  endpoint: 'https://gp.example/hook',
  headerNames: ['Authorization'],
  sealedHeaders: null,
  heartbeatSeconds: 60,
  end: null,
  requestedAt: '2026-12-03T10:00:00.000Z',
};
const at = '2026-12-03T10:00:01.000Z';
const id = request.subscriptionId;

const given = (...events: SubscriptionEvent[]) => ({
  when: (command: SubscriptionCommand) => {
    const state = events.reduce(evolve, initialState());
    return {
      then: (expected: SubscriptionEvent[]) => expect(decide(command, state)).toEqual(expected),
      thenRefused: () => expect(() => decide(command, state)).toThrow(SubscriptionRefused),
    };
  },
});

const requested: SubscriptionEvent = { type: 'SubscriptionRequested', data: request };
const activated: SubscriptionEvent = { type: 'SubscriptionActivated', data: { subscriptionId: id, activatedAt: at } };
const errored: SubscriptionEvent = {
  type: 'SubscriptionErrored',
  data: { subscriptionId: id, error: 'HTTP 500', erroredAt: at },
};
const off: SubscriptionEvent = { type: 'SubscriptionTurnedOff', data: { subscriptionId: id, turnedOffAt: at } };

describe('the Subscription decider', () => {
  it('requests a new subscription once', () => {
    given().when({ type: 'RequestSubscription', data: request }).then([requested]);
    given(requested).when({ type: 'RequestSubscription', data: request }).thenRefused();
  });

  it('activates on the first delivery (the handshake), and again after an error', () => {
    given(requested).when({ type: 'RecordDelivered', data: { at } }).then([activated]);
    given(requested, errored).when({ type: 'RecordDelivered', data: { at } }).then([activated]);
    given(requested, activated).when({ type: 'RecordDelivered', data: { at } }).then([]);
  });

  it('goes to error on the first failure only', () => {
    given(requested)
      .when({ type: 'RecordFailed', data: { error: 'HTTP 500', at } })
      .then([errored]);
    given(requested, activated)
      .when({ type: 'RecordFailed', data: { error: 'HTTP 500', at } })
      .then([errored]);
    given(requested, errored)
      .when({ type: 'RecordFailed', data: { error: 'HTTP 502', at } })
      .then([]);
  });

  it('turns off from any status, once; a late delivery does not turn it on again', () => {
    given(requested, activated).when({ type: 'TurnOff', data: { at } }).then([off]);
    given(requested, errored).when({ type: 'TurnOff', data: { at } }).then([off]);
    given(requested, off).when({ type: 'TurnOff', data: { at } }).then([]);
    given(requested, off).when({ type: 'RecordDelivered', data: { at } }).then([]);
    given(requested, off)
      .when({ type: 'RecordFailed', data: { error: 'x', at } })
      .then([]);
  });

  it('refuses commands for a subscription that does not exist', () => {
    given().when({ type: 'TurnOff', data: { at } }).thenRefused();
    given().when({ type: 'RecordDelivered', data: { at } }).thenRefused();
  });

  it('folds the handshake and the last error into the state', () => {
    const state = [requested, errored].reduce(evolve, initialState());
    expect(state).toMatchObject({ status: 'error', handshakeDone: false, error: 'HTTP 500' });
    expect([requested, errored, activated].reduce(evolve, initialState())).toMatchObject({
      status: 'active',
      handshakeDone: true,
      error: null,
    });
  });
});
