// Waits until readAll can return every event committed before the call (the store's visibility
// barrier), at most `timeoutMs`. Stores without a barrier return at once: what they read is current.
import type { EventStore } from './port';

export const waitUntilReadable = async (store: EventStore, timeoutMs: number): Promise<boolean> => {
  const visible = await store.visibilityBarrier?.();
  if (!visible) return true;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 5)))
    if (await visible()) return true;
  return visible();
};
