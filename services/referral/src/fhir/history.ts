// Versions of a referral's ServiceRequest and Task: version n is the stream folded up to event n, so
// versionId is the stream version and every `_history/n` location that is answered resolves.
import { NotFoundError } from '@wor/event-store';
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import { etagOf, type LoadedReferral } from '../referral/application';
import { initialState, referralDecider } from '../referral/referral';
import { lastModifiedOf } from './mapping';

/** The referral as it was at stream version `vid`; 404 for a version it never had. */
export const atVersion = (loaded: LoadedReferral, vid: number): LoadedReferral => {
  if (!Number.isInteger(vid) || vid < 0 || vid > loaded.version) throw new NotFoundError('No such version.');
  const events = loaded.events.slice(0, vid + 1);
  const state = events.reduce(referralDecider.evolve, initialState());
  if (state.status === 'none') throw new NotFoundError('No such version.');
  return { state, version: vid, events };
};

/**
 * The first version of the referral's Task: where it was requested of the recipient (0 when the Task came with its
 * ServiceRequest; later after an order on its own). Before it there is no Task.
 */
export const taskCreatedAt = (loaded: LoadedReferral): number | undefined => {
  const at = loaded.events.findIndex((e) => e.type === 'ReferralRequested');
  return at < 0 ? undefined : at;
};

/**
 * A history Bundle, newest version first (R4 history: entry.request and entry.response on every entry), from the
 * version that created the resource (`from`).
 */
export const historyOf = (
  loaded: LoadedReferral,
  render: (at: LoadedReferral) => Resource,
  base: string,
  self: string,
  from = 0,
): Bundle => {
  const entry: BundleEntry[] = [];
  for (let vid = loaded.version; vid >= from; vid--) {
    const at = atVersion(loaded, vid);
    const resource = render(at);
    entry.push({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
      resource,
      request:
        vid === from
          ? { method: 'POST', url: resource.resourceType }
          : { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
      response: {
        status: vid === from ? '201 Created' : '200 OK',
        etag: etagOf(vid),
        lastModified: lastModifiedOf(at),
      },
    });
  }
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: entry.length,
    link: [{ relation: 'self', url: self }],
    entry,
  };
};
