// What the social map's routes share: the event store, the directory projection and the access check.
import { ConcurrencyConflictError, type EventStore, type ExpectedVersion } from '@wor/event-store';
import { type Projector } from '@wor/event-store-postgres';
import { HttpProblem, type Caller, type ServiceDeps } from '@wor/service-kit';
import type { Request } from 'express';
import { projectedVersion } from './directory/projection';
import { mayEditMap } from './key-users/access';
import { keyUsersDecider, keyUsersStreamId, type KeyUserEvent, type KeyUsers } from './key-users/key-users';

export type MapContext = Readonly<{ store: EventStore; directory: Projector; deps: ServiceDeps }>;

/**
 * Read-your-writes for the directory: projects until `streamId` reached `version`. A transaction
 * elsewhere in the cluster can hold readers back for a moment (event store), so this polls, bounded.
 */
export const awaitProjected = async (
  ctx: MapContext,
  streamId: string,
  version: number,
  timeoutMs = 10_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await ctx.directory.catchUp();
    if ((await projectedVersion(ctx.deps.pool, streamId)) >= version || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

export const loadKeyUsers = async (store: EventStore, municipality: string): Promise<KeyUsers> => {
  const { events } = await store.readStream<KeyUserEvent>(keyUsersStreamId(municipality));
  return events.reduce(keyUsersDecider.evolve, keyUsersDecider.initialState());
};

/** 403 unless the caller is a key-user of `municipality` (read from the key-user stream, not a projection). */
export const requireMapKeeper = async (ctx: MapContext, caller: Caller, municipality: string): Promise<void> => {
  const access = mayEditMap(caller, municipality, await loadKeyUsers(ctx.store, municipality));
  if (!access.allowed) throw new HttpProblem({ status: 403, title: 'Forbidden', detail: access.reason });
};

/** The municipality a key-user works for; 403 without one. */
export const callerMunicipality = (caller: Caller): string => {
  if (!caller.municipality)
    throw new HttpProblem({ status: 403, title: 'Forbidden', detail: 'The token names no municipality.' });
  return caller.municipality;
};

/** `If-Match: "3"` → expected stream version 3; without the header the version that was read. */
export const ifMatch = (req: Request): ExpectedVersion | undefined => {
  const header = req.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match)
    throw new HttpProblem({
      status: 412,
      title: 'Precondition Failed',
      detail: 'If-Match must be an ETag of this API, like "3".',
    });
  return Number(match[1]);
};

/** A stale If-Match is 412 (the caller's copy is outdated); other conflicts stay 409. */
export const preconditionAware = async <T>(
  expected: ExpectedVersion | undefined,
  work: () => Promise<T>,
): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (expected !== undefined && error instanceof ConcurrencyConflictError)
      throw new HttpProblem({
        status: 412,
        title: 'Precondition Failed',
        detail: 'The entry changed since that version; reload it.',
      });
    throw error;
  }
};

export const etag = (version: number): string => `"${version}"`;
