// The same store, calling `listener` after each successful append (single or several streams at once).
// Services use it to wake their relays at once instead of waiting for the next poll; other instances'
// appends still come by polling.
import type { EventStore } from './port';

export const onAppend = (store: EventStore, listener: () => void): EventStore => {
  // A listener's failure must not turn a committed append into an error: the poll finds the events.
  const notify = () => {
    try {
      listener();
    } catch {
      /* ignored */
    }
  };
  const wrapped: EventStore = Object.create(store) as EventStore;
  wrapped.append = async (streamId, events, options) => {
    const result = await store.append(streamId, events, options);
    notify();
    return result;
  };
  const appendMany = store.appendMany?.bind(store);
  if (appendMany)
    wrapped.appendMany = async (appends) => {
      const results = await appendMany(appends);
      notify();
      return results;
    };
  return wrapped;
};
