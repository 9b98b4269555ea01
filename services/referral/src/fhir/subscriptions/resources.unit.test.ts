import { HttpProblem } from '@wor/service-kit';
import { BACKPORT_URLS, notificationBundle, readSubscription, taskTopicOf } from './resources';

const CANONICAL = 'https://fhir.example.nl';
const context = {
  canonicalBase: CANONICAL,
  fhirBase: 'https://api.example.nl/fhir',
  organisationId: 'huisarts-beterschap',
  subscriptionId: '6f1c1a0e-7d4b-4c44-9a55-1f0f3a1e2b3c',
  now: new Date('2026-12-03T10:00:00Z'),
};
const posted = (filter?: string, channel: Record<string, unknown> = {}) => ({
  resourceType: 'Subscription',
  status: 'requested',
  reason: 'r',
  criteria: taskTopicOf(CANONICAL),
  ...(filter === undefined
    ? {}
    : { _criteria: { extension: [{ url: BACKPORT_URLS.filterCriteria, valueString: filter }] } }),
  channel: { type: 'rest-hook', endpoint: 'https://gp.example/hook', payload: 'application/fhir+json', ...channel },
});
const refusal = (body: unknown): [number, unknown] => {
  try {
    readSubscription(body, context);
  } catch (error) {
    if (error instanceof HttpProblem)
      return [error.status, (error.extra.errors as { path: string }[] | undefined)?.map((e) => e.path)];
    throw error;
  }
  return [200, undefined];
};

describe('reading a posted Subscription', () => {
  it.each([
    'Task?requester=huisarts-beterschap',
    'Task?requester=urn:wor:organisation-id|huisarts-beterschap',
    'Task?requester:identifier=urn:wor:organisation-id|huisarts-beterschap',
    undefined,
  ])('takes the filter %s as the own organisation', (filter) => {
    expect(readSubscription(posted(filter), context)).toMatchObject({
      organisationId: 'huisarts-beterschap',
      endpoint: 'https://gp.example/hook',
      fhirBase: context.fhirBase,
      headers: [],
      heartbeatSeconds: null,
    });
  });

  it('refuses another organisation (403) and filters it cannot read (422)', () => {
    expect(refusal(posted('Task?requester=huisarts-elders'))).toEqual([403, undefined]);
    expect(refusal(posted('Task?requester=other-system|huisarts-beterschap'))[0]).toBe(422);
    expect(refusal(posted('Task?status=requested'))).toEqual([422, ['Subscription.criteria.extension[0].valueString']]);
    expect(refusal(posted('Task?requester=%E0%A4%A'))[0]).toBe(422);
  });

  it('names each invalid channel element', () => {
    expect(
      refusal(
        posted(undefined, {
          type: 'email',
          endpoint: 'ftp://gp.example',
          payload: 'application/xml',
          header: ['Content-Type: text/plain'],
          extension: [{ url: BACKPORT_URLS.heartbeatPeriod, valueUnsignedInt: 0 }],
        }),
      ),
    ).toEqual([
      422,
      [
        'Subscription.channel.type',
        'Subscription.channel.endpoint',
        'Subscription.channel.payload',
        'Subscription.channel.header',
        'Subscription.channel.extension',
      ],
    ]);
  });
});

describe('a notification Bundle', () => {
  it('carries ids only: the Task as a full URL without a resource, the event in the status Parameters', () => {
    const bundle = notificationBundle({
      bundleId: '0b6f6a8e-5f4e-4a53-9d70-2a8c5f0b7c11',
      at: new Date('2026-12-03T10:00:00Z'),
      fhirBase: 'https://api.example.nl/fhir',
      canonicalBase: CANONICAL,
      subscriptionId: context.subscriptionId,
      status: 'active',
      type: 'event-notification',
      eventsSinceStart: 7,
      events: [{ eventNumber: 7, referralId: 'r-1', occurredAt: '2026-12-03T09:59:59.000Z', created: false }],
    });
    expect(bundle.type).toBe('history');
    expect(bundle.entry[1]).toEqual({
      fullUrl: 'https://api.example.nl/fhir/Task/r-1',
      request: { method: 'PUT', url: 'Task/r-1' },
      response: { status: '200' },
    });
    expect((bundle.entry[0] as { resource: { parameter: unknown[] } }).resource.parameter).toContainEqual({
      name: 'notification-event',
      part: [
        { name: 'event-number', valueString: '7' },
        { name: 'timestamp', valueInstant: '2026-12-03T09:59:59.000Z' },
        { name: 'focus', valueReference: { reference: 'https://api.example.nl/fhir/Task/r-1' } },
      ],
    });
  });
});
