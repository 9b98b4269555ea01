// The same store, calling `listener` after each successful append. Services use it to wake their
// relays at once instead of waiting for the next poll; other instances' appends still come by polling.
import type { EventStore } from './port';

export const onAppend = (store: EventStore, listener: () => void): EventStore => {
  const wrapped: EventStore = Object.create(store) as EventStore;
  wrapped.append = async (streamId, events, options) => {
    const result = await store.append(streamId, events, options);
    // A listener's failure must not turn a committed append into an error.
    try {
      listener();
    } catch {
      /* ignored: the poll finds the events */
    }
    return result;
  };
  return wrapped;
};
