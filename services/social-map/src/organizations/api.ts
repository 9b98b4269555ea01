// Key-users register the organisations of their municipality's map and their locations.
import { randomUUID } from 'node:crypto';
import { handleCommand } from '@wor/event-store';
import { callerOf, HttpProblem, parseBody, parseParams, requestEventMetadata, requireRole } from '@wor/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import {
  awaitProjected,
  callerMunicipality,
  etag,
  ifMatch,
  preconditionAware,
  requireMapKeeper,
  type MapContext,
} from '../context';
import { LocationBody, normaliseLocation, normaliseOrganization, OrganizationBody } from '../hsds/input';
import { historyLine } from '../services/api';
import { organizationDecider, organizationStreamId, type Organization, type OrganizationEvent } from './organization';

const IdParams = z.object({ id: z.uuid() }).strict();

export const loadOrganization = async (ctx: MapContext, organizationId: string) => {
  const { events, currentVersion } = await ctx.store.readStream<OrganizationEvent>(
    organizationStreamId(organizationId),
  );
  return {
    state: events.reduce<Organization>(organizationDecider.evolve, organizationDecider.initialState()),
    events,
    currentVersion,
  };
};

const notFound = (id: string) =>
  new HttpProblem({ status: 404, title: 'Not Found', detail: `Organization ${id} is not on the map.` });

export const organizationRoutes =
  (ctx: MapContext) =>
  (router: Router): void => {
    const { store, deps } = ctx;

    router.post('/organizations', requireRole('key-user'), async (req, res) => {
      const input = parseBody(OrganizationBody, req);
      const caller = callerOf(res);
      const municipality = callerMunicipality(caller);
      await requireMapKeeper(ctx, caller, municipality);
      const id = input.id ?? randomUUID();
      const { nextExpectedVersion } = await handleCommand(
        store,
        organizationStreamId(id),
        organizationDecider,
        {
          type: 'RegisterOrganization',
          data: { municipality, entry: normaliseOrganization(input, id), by: caller.subject },
          metadata: { now: deps.now() },
        },
        { expectedVersion: 'no_stream', metadata: requestEventMetadata(caller) },
      );
      await awaitProjected(ctx, organizationStreamId(id), nextExpectedVersion);
      res.status(201).location(`/organizations/${id}`).setHeader('ETag', etag(nextExpectedVersion)).json({ id });
    });

    router.put('/organizations/:id', requireRole('key-user'), async (req, res) => {
      const { id } = parseParams(IdParams, req);
      const input = parseBody(OrganizationBody, req);
      const caller = callerOf(res);
      const expected = ifMatch(req);
      const { state } = await loadOrganization(ctx, id);
      if (state.status === 'none') throw notFound(id);
      await requireMapKeeper(ctx, caller, state.municipality);
      const result = await preconditionAware(expected, () =>
        handleCommand(
          store,
          organizationStreamId(id),
          organizationDecider,
          {
            type: 'UpdateOrganization',
            data: { entry: normaliseOrganization(input, id), by: caller.subject },
            metadata: { now: deps.now() },
          },
          { ...(expected === undefined ? {} : { expectedVersion: expected }), metadata: requestEventMetadata(caller) },
        ),
      );
      await awaitProjected(ctx, organizationStreamId(id), result.nextExpectedVersion);
      res
        .setHeader('ETag', etag(result.nextExpectedVersion))
        .json({ id, changed: result.newEvents.map((e) => e.type) });
    });

    /** Adds a location, or replaces it when the body's id is one of the organisation's locations. */
    router.post('/organizations/:id/locations', requireRole('key-user'), async (req, res) => {
      const { id } = parseParams(IdParams, req);
      const input = parseBody(LocationBody, req);
      const caller = callerOf(res);
      const { state } = await loadOrganization(ctx, id);
      if (state.status === 'none') throw notFound(id);
      await requireMapKeeper(ctx, caller, state.municipality);
      const locationId = input.id ?? randomUUID();
      const owner = await deps.pool.query<{ organization_id: string }>(
        'SELECT organization_id FROM map_locations WHERE id = $1',
        [locationId],
      );
      if (owner.rows[0] && owner.rows[0].organization_id !== id)
        throw new HttpProblem({
          status: 409,
          title: 'Conflict',
          detail: `Location ${locationId} belongs to another organization.`,
        });
      const result = await handleCommand(
        store,
        organizationStreamId(id),
        organizationDecider,
        {
          type: 'SaveLocation',
          data: { organizationId: id, location: normaliseLocation(input, locationId), by: caller.subject },
          metadata: { now: deps.now() },
        },
        { metadata: requestEventMetadata(caller) },
      );
      await awaitProjected(ctx, organizationStreamId(id), result.nextExpectedVersion);
      const created = result.newEvents.some((e) => e.type === 'LocationRegistered');
      res
        .status(created ? 201 : 200)
        .location(`/locations/${locationId}`)
        .json({ id: locationId, organization_id: id });
    });

    router.get('/organizations/:id/history', requireRole('key-user'), async (req, res) => {
      const { id } = parseParams(IdParams, req);
      const { state, events } = await loadOrganization(ctx, id);
      if (state.status === 'none') throw notFound(id);
      await requireMapKeeper(ctx, callerOf(res), state.municipality);
      res.json({ id, history: events.map(historyLine) });
    });
  };
