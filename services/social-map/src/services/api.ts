// Key-users keep their municipality's services: publish, update, capacity, review (still right), retire.
// Coaches read them through the directory API. Every change is an event with who and when: /history.
import { randomUUID } from 'node:crypto';
import { CapacityStatus } from '@wor/contracts';
import { handleCommand, type RecordedEvent } from '@wor/event-store';
import { callerOf, HttpProblem, parseBody, parseParams, requestEventMetadata, requireRole } from '@wor/service-kit';
import type { Request, Response, Router } from 'express';
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
import { normaliseService, ServiceBody, type ServiceInput } from '../hsds/input';
import { organizationDecider, organizationStreamId, type OrganizationEvent } from '../organizations/organization';
import { serviceDecider, serviceStreamId, type SocialMapService, type SocialMapServiceCommand } from './service';
import { upcastServiceEvent, type StoredServiceEvent } from './upcast';

const IdParams = z.object({ id: z.uuid() }).strict();
export const CapacityBody = z.object({ capacity_status: CapacityStatus }).strict();

export const loadService = async (ctx: MapContext, serviceId: string) => {
  const { events, currentVersion } = await ctx.store.readStream<StoredServiceEvent>(serviceStreamId(serviceId));
  const state = events.reduce<SocialMapService>(serviceDecider.evolve, serviceDecider.initialState());
  return { state, events, currentVersion };
};

/** The organisation and the locations a service refers to must be on the same municipality's map. */
export const checkReferences = async (
  ctx: MapContext,
  input: ServiceInput,
  municipality: string,
): Promise<string[]> => {
  const problems: string[] = [];
  const { events } = await ctx.store.readStream(organizationStreamId(input.organization_id));
  const organization = (events as OrganizationEvent[]).reduce(
    organizationDecider.evolve,
    organizationDecider.initialState(),
  );
  if (organization.status !== 'registered' || organization.municipality !== municipality)
    problems.push(`organization_id: organization ${input.organization_id} is not on ${municipality}'s map`);
  const locationIds = input.service_at_locations.flatMap((s) => (s.location_id ? [s.location_id] : []));
  if (locationIds.length > 0) {
    await ctx.directory.catchUp();
    const { rows } = await ctx.deps.pool.query<{ id: string }>(
      'SELECT id FROM map_locations WHERE id = ANY ($1) AND municipality = $2',
      [locationIds, municipality],
    );
    const known = new Set(rows.map((r) => r.id));
    input.service_at_locations.forEach((s, i) => {
      if (s.location_id && !known.has(s.location_id))
        problems.push(
          `service_at_locations[${i}].location_id: location ${s.location_id} is not on ${municipality}'s map`,
        );
    });
  }
  return problems;
};

const referenceProblem = (problems: string[]) =>
  new HttpProblem({
    status: 422,
    title: 'Unprocessable Content',
    detail: 'The service refers to entries that are not on this map.',
    extra: {
      errors: problems.map((p) => ({ path: p.slice(0, p.indexOf(':')), message: p.slice(p.indexOf(':') + 2) })),
    },
  });

/** One history line: what happened, when, by whom (a key-user account id, shown to key-users only). */
export const historyLine = (event: RecordedEvent) => {
  const data = event.data as Record<string, unknown>;
  const at = Object.entries(data).find(([k]) => k.endsWith('At'))?.[1];
  const by = Object.entries(data).find(([k]) => k.endsWith('By'))?.[1];
  return { version: event.streamVersion, type: event.type, at, by, data };
};

export const serviceRoutes =
  (ctx: MapContext) =>
  (router: Router): void => {
    const { store, deps } = ctx;

    /** Runs a command on an existing service after the access check against the service's municipality. */
    const change = async (
      req: Request,
      res: Response,
      command: (by: string) => SocialMapServiceCommand,
      precheck: (municipality: string) => Promise<void> = async () => undefined,
    ) => {
      const { id } = parseParams(IdParams, req);
      const caller = callerOf(res);
      const expected = ifMatch(req);
      const { state } = await loadService(ctx, id);
      if (state.status === 'none')
        throw new HttpProblem({ status: 404, title: 'Not Found', detail: `Service ${id} is not on the map.` });
      await requireMapKeeper(ctx, caller, state.municipality);
      await precheck(state.municipality);
      const result = await preconditionAware(expected, () =>
        handleCommand(store, serviceStreamId(id), serviceDecider, command(caller.subject), {
          ...(expected === undefined ? {} : { expectedVersion: expected }),
          metadata: requestEventMetadata(caller),
        }),
      );
      await awaitProjected(ctx, serviceStreamId(id), result.nextExpectedVersion);
      res.setHeader('ETag', etag(result.nextExpectedVersion));
      return { id, result };
    };

    router.post('/services', requireRole('key-user'), async (req, res) => {
      const input = parseBody(ServiceBody, req);
      const caller = callerOf(res);
      const municipality = callerMunicipality(caller);
      await requireMapKeeper(ctx, caller, municipality);
      const problems = await checkReferences(ctx, input, municipality);
      if (problems.length > 0) throw referenceProblem(problems);
      const serviceId = input.id ?? randomUUID();
      const { nextExpectedVersion } = await handleCommand(
        store,
        serviceStreamId(serviceId),
        serviceDecider,
        {
          type: 'PublishService',
          data: {
            municipality,
            entry: normaliseService(input, serviceId),
            capacity: input.capacity_status ?? 'available',
            by: caller.subject,
          },
          metadata: { now: deps.now() },
        },
        { expectedVersion: 'no_stream', metadata: requestEventMetadata(caller) },
      );
      await awaitProjected(ctx, serviceStreamId(serviceId), nextExpectedVersion); // the key-user sees the entry in the list right away
      res
        .status(201)
        .location(`/services/${serviceId}`)
        .setHeader('ETag', etag(nextExpectedVersion))
        .json({ id: serviceId, status: 'published' });
    });

    router.put('/services/:id', requireRole('key-user'), async (req, res) => {
      const { id } = parseParams(IdParams, req);
      const input = parseBody(ServiceBody, req);
      if (input.id !== undefined && input.id !== id)
        throw new HttpProblem({
          status: 422,
          title: 'Unprocessable Content',
          detail: 'The body id differs from the path.',
          extra: { errors: [{ path: 'id', message: 'must equal the id in the path' }] },
        });
      const { result } = await change(
        req,
        res,
        (by) => ({
          type: 'UpdateService',
          data: { entry: normaliseService(input, id), by },
          metadata: { now: deps.now() },
        }),
        async (municipality) => {
          const problems = await checkReferences(ctx, input, municipality);
          if (problems.length > 0) throw referenceProblem(problems);
        },
      );
      res.json({ id, changed: result.newEvents.map((e) => e.type) });
    });

    router.post('/services/:id/capacity', requireRole('key-user'), async (req, res) => {
      const { capacity_status } = parseBody(CapacityBody, req);
      const { id, result } = await change(req, res, (by) => ({
        type: 'ChangeCapacity',
        data: { serviceId: String(req.params.id), capacity: capacity_status, by },
        metadata: { now: deps.now() },
      }));
      res.json({ id, capacity_status, changed: result.newEvents.map((e) => e.type) });
    });

    router.post('/services/:id/review', requireRole('key-user'), async (req, res) => {
      const { id, result } = await change(req, res, (by) => ({
        type: 'ReviewService',
        data: { serviceId: String(req.params.id), by },
        metadata: { now: deps.now() },
      }));
      res.json({ id, changed: result.newEvents.map((e) => e.type) });
    });

    router.post('/services/:id/retire', requireRole('key-user'), async (req, res) => {
      const { id, result } = await change(req, res, (by) => ({
        type: 'RetireService',
        data: { serviceId: String(req.params.id), by },
        metadata: { now: deps.now() },
      }));
      res.json({ id, status: 'retired', changed: result.newEvents.map((e) => e.type) });
    });

    router.get('/services/:id/history', requireRole('key-user'), async (req, res) => {
      const { id } = parseParams(IdParams, req);
      const { state, events } = await loadService(ctx, id);
      if (state.status === 'none')
        throw new HttpProblem({ status: 404, title: 'Not Found', detail: `Service ${id} is not on the map.` });
      await requireMapKeeper(ctx, callerOf(res), state.municipality);
      res.json({ id, history: events.map((e) => historyLine({ ...e, ...upcastServiceEvent(e) } as RecordedEvent)) });
    });
  };
