// The sociale kaart for coaches (search) and key-users (publish). HSDS-shaped fields come with issue 5.
import { randomUUID } from 'node:crypto';
import { MunicipalityCode, PositiveHealthDimension } from '@wor/contracts';
import { handleCommand, type EventStore, type Projector } from '@wor/event-store';
import { callerOf, HttpProblem, parseBody, parseQuery, requestEventMetadata, requireRole, type ServiceDeps } from '@wor/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { listServices } from './list-projection';
import { decide, evolve, initialState, serviceStreamId } from './service';

const PublishServiceBody = z
  .object({
    id: z.uuid().optional(),
    organizationId: z.uuid(),
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).default(''),
    municipality: MunicipalityCode,
    districts: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    dimensions: z.array(PositiveHealthDimension).max(6).default([]),
    freeOfCharge: z.boolean().default(false),
  })
  .strict();

const ListQuery = z.object({ municipality: MunicipalityCode.optional(), q: z.string().trim().min(1).max(100).optional() }).strict();

const decider = { decide, evolve, initialState };

export const serviceRoutes =
  ({ store, list, deps }: { store: EventStore; list: Projector; deps: ServiceDeps }) =>
  (router: Router): void => {
    router.post('/services', requireRole('key-user', 'admin'), async (req, res) => {
      const { id, ...details } = parseBody(PublishServiceBody, req);
      const caller = callerOf(res);
      if (caller.municipality && caller.municipality !== details.municipality)
        throw new HttpProblem({ status: 403, title: 'Forbidden', detail: 'Key-users edit only their own municipality\'s map.' });
      const serviceId = id ?? randomUUID();
      const { newState } = await handleCommand(
        store,
        serviceStreamId(serviceId),
        decider,
        { type: 'PublishService', data: { ...details, serviceId, publishedBy: caller.subject }, metadata: { now: deps.now() } },
        { expectedVersion: 'no_stream', metadata: requestEventMetadata(caller) },
      );
      await list.catchUp(); // the key-user sees the entry in the list right away
      res.status(201).location(`/services/${serviceId}`).json({ id: serviceId, status: newState.status });
    });

    router.get('/services', async (req, res) => {
      const query = parseQuery(ListQuery, req);
      res.json({ items: await listServices(deps.pool, query) });
    });
  };
