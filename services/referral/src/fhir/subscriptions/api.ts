// The Subscription routes of the FHIR route table (../routes.ts): a GP system's own subscriptions to the
// Task topic. Subscriptions hold organisation ids, an endpoint and codes, no personal data, so these
// routes write no access-log entries. Another organisation's subscription is a 404, as an unknown one.
import { randomUUID } from 'node:crypto';
import { handleCommand, NotFoundError, StaleVersionError, type EventStore } from '@wor/event-store';
import { fhirBaseOf, fhirSelfOf, HttpProblem, rolesOf, sendFhir, searchset, type FhirSettings } from '@wor/service-kit';
import type { Request, RequestHandler, Response } from 'express';
import type { Resource } from 'fhir/r4';
import type { Pool } from 'pg';
import { actorOf } from '../../referral/api';
import { REFERRAL_FHIR_ROUTES as ROUTES } from '../routes';
import type { SubjectKeyStore } from '@wor/privacy';
import { endpointRefusal, type EndpointPolicy } from './endpoint-policy';
import { sealHeaders } from './headers';
import { declaredQuery } from '../search';
import { readSubscription, statusChangeOf, statusParameters, toSubscription, type SubscriptionView } from './resources';
import { errorsSinceLastSuccess, findSubscription, searchSubscriptions } from './store';
import { subscriptionDecider, subscriptionStreamOf } from './subscription';

const REFERRER = rolesOf(ROUTES.createSubscription.policy);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUSES = ['requested', 'active', 'error', 'off'];

export type SubscriptionRoutesDeps = Readonly<{
  pool: Pool;
  store: EventStore;
  fhir: FhirSettings;
  now: () => Date;
  /** The subscription projector's catchUp: what was appended is readable (and queued) before we answer. */
  catchUp: () => Promise<void>;
  /** Which endpoints the platform sends to (SSRF). */
  endpoints: EndpointPolicy;
  /** Seals channel.header values (headers.ts). */
  keys: Pick<SubjectKeyStore, 'encryptFor'>;
}>;

type Key =
  'createSubscription' | 'readSubscription' | 'searchSubscription' | 'updateSubscription' | 'subscriptionStatus';

const organisationOf = (res: Response): string => {
  const organisationId = actorOf(res, REFERRER).organisationId;
  if (!organisationId)
    throw new HttpProblem({ status: 403, title: 'Forbidden', detail: 'The token names no organisation.' });
  return organisationId;
};

const ifMatchOf = (req: Request): number | undefined => {
  const header = req.header('if-match');
  if (!header) return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match)
    throw new HttpProblem({ status: 412, title: 'Precondition Failed', detail: 'If-Match names no version.' });
  return Number(match[1]);
};

export const subscriptionHandlers = ({
  pool,
  store,
  fhir,
  now,
  catchUp,
  endpoints,
  keys,
}: SubscriptionRoutesDeps): Record<Key, RequestHandler> => {
  const send = (res: Response, status: number, view: SubscriptionView) => {
    res.setHeader('ETag', `W/"${view.version}"`).setHeader('Last-Modified', new Date(view.lastChangedAt).toUTCString());
    sendFhir(res, status, toSubscription(view, fhir.canonicalBase));
  };
  const load = async (req: Request, res: Response) => {
    const id = String(req.params.id ?? '');
    const organisationId = organisationOf(res);
    if (!UUID.test(id)) throw new NotFoundError('No such Subscription.');
    await catchUp();
    const view = await findSubscription(pool, id, organisationId);
    if (!view) throw new NotFoundError('No such Subscription.');
    return view;
  };

  return {
    createSubscription: async (req, res) => {
      const organisationId = organisationOf(res);
      const subscriptionId = randomUUID();
      const fhirBase = fhirBaseOf(req, fhir);
      const posted = readSubscription(req.body, {
        canonicalBase: fhir.canonicalBase,
        fhirBase,
        organisationId,
        subscriptionId,
        now: now(),
      });
      const refusal = await endpointRefusal(new URL(posted.endpoint), endpoints);
      if (refusal)
        throw new HttpProblem({
          status: 422,
          title: 'Unprocessable Content',
          detail: 'The Subscription is invalid.',
          extra: { errors: [{ path: 'Subscription.channel.endpoint', message: refusal }] },
        });
      await handleCommand(store, subscriptionStreamOf(subscriptionId), subscriptionDecider, {
        type: 'RequestSubscription',
        data: await sealHeaders(keys, posted),
      });
      // Visible to the delivery (handshake) and to the Task topic's consumer before the answer.
      await catchUp();
      const view = (await findSubscription(pool, subscriptionId, organisationId))!;
      res.location(`${fhirBase}/Subscription/${subscriptionId}/_history/${view.version}`);
      send(res, 201, view);
    },

    readSubscription: async (req, res) => send(res, 200, await load(req, res)),

    searchSubscription: async (req, res) => {
      const { query, warnings } = declaredQuery(req, ROUTES.searchSubscription.searchParams);
      const statuses = typeof query.status === 'string' ? query.status.split(',') : undefined;
      const unknown = statuses?.filter((s) => !STATUSES.includes(s)) ?? [];
      if (unknown.length)
        throw new HttpProblem({
          status: 400,
          title: 'Bad Request',
          detail: 'The search parameters are invalid.',
          extra: { errors: [{ path: 'status', message: `one of ${STATUSES.join(', ')}` }] },
        });
      await catchUp();
      const found = await searchSubscriptions(pool, organisationOf(res), statuses);
      sendFhir(
        res,
        200,
        searchset({
          base: fhirBaseOf(req, fhir),
          self: fhirSelfOf(req, fhir),
          total: found.length,
          matches: found.map((v) => toSubscription(v, fhir.canonicalBase) as Resource),
          warnings,
        }),
      );
    },

    updateSubscription: async (req, res) => {
      const view = await load(req, res);
      const expected = ifMatchOf(req);
      if (expected !== undefined && expected !== view.version)
        throw new StaleVersionError(`The Subscription is at version ${view.version}, not ${expected}.`);
      const body = req.body as { id?: unknown };
      if (body?.id !== undefined && body.id !== view.subscriptionId)
        throw new HttpProblem({
          status: 400,
          title: 'Bad Request',
          detail: 'The id in the body is not the id in the URL.',
          extra: { errors: [{ path: 'Subscription.id', message: `must be ${view.subscriptionId}` }] },
        });
      if (statusChangeOf(req.body, view) === 'off') {
        await handleCommand(
          store,
          subscriptionStreamOf(view.subscriptionId),
          subscriptionDecider,
          { type: 'TurnOff', data: { at: now().toISOString() } },
          expected === undefined ? {} : { expectedVersion: expected },
        );
        await catchUp();
      }
      send(res, 200, (await findSubscription(pool, view.subscriptionId, view.organisationId))!);
    },

    subscriptionStatus: async (req, res) => {
      const view = await load(req, res);
      const base = fhirBaseOf(req, fhir);
      const id = randomUUID();
      const parameters = {
        ...statusParameters({
          fhirBase: base,
          canonicalBase: fhir.canonicalBase,
          subscriptionId: view.subscriptionId,
          status: view.status,
          type: 'query-status',
          eventsSinceStart: view.eventsSinceStart,
          errors: await errorsSinceLastSuccess(pool, view.subscriptionId),
        }),
        id,
      };
      res.setHeader('Cache-Control', 'no-store');
      sendFhir(res, 200, {
        resourceType: 'Bundle',
        type: 'searchset',
        total: 1,
        link: [{ relation: 'self', url: fhirSelfOf(req, fhir) }],
        entry: [{ fullUrl: `urn:uuid:${id}`, resource: parameters, search: { mode: 'match' } }],
      });
    },
  };
};
