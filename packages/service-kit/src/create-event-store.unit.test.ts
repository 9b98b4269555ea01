import type { Pool } from 'pg';
import { createEventStore, validateEventStoreSelection } from './create-event-store';

// Neither store touches its backend when created: the pool is never queried, the EventStoreDB client
// connects on its first call. So the choice itself is tested without servers.
const pool = {} as Pool;

describe('createEventStore', () => {
  it('uses PostgreSQL by default and when asked', async () => {
    for (const store of [
      createEventStore({ pool, schema: 'referral' }),
      createEventStore({ kind: 'postgres', pool, schema: 'referral' }),
    ]) {
      // The PostgreSQL adapter's own checkpoint format is refused only by the EventStoreDB one.
      await expect(store.readAll('esdb/1/1', 10)).rejects.toThrow(/^Invalid checkpoint: "esdb\/1\/1"$/);
      await store.close();
    }
  });

  it('uses EventStoreDB when asked, namespaced by the schema unless a prefix is given', async () => {
    const store = createEventStore({
      kind: 'eventstoredb',
      eventStoreUrl: 'esdb://127.0.0.1:1?tls=false',
      pool,
      schema: 'referral',
    });
    await expect(store.readAll('12:34', 10)).rejects.toThrow(/another event store/);
    await store.close();
    expect(() =>
      createEventStore({
        kind: 'eventstoredb',
        eventStoreUrl: 'esdb://127.0.0.1:1?tls=false',
        pool,
        schema: 'Bad-Schema',
      }),
    ).toThrow(/Invalid stream prefix/);
    const prefixed = createEventStore({
      kind: 'eventstoredb',
      eventStoreUrl: 'esdb://127.0.0.1:1?tls=false',
      streamPrefix: 'wor_referral.',
      pool,
      schema: 'Bad-Schema',
    });
    await prefixed.close();
  });

  it.each([
    [{ kind: 'mongodb' }, /Unknown event store "mongodb" \(expected postgres or eventstoredb\)/],
    [{ kind: 'eventstoredb' }, /needs a connection string \(EVENTSTORE_URL\)/],
    [{ kind: 'eventstoredb', eventStoreUrl: 'postgres://u:secret@h/db' }, /must start with esdb:\/\//],
    [{ kind: 'eventstoredb', eventStoreUrl: 'esdb://h:2113', streamPrefix: 'x' }, /Invalid stream prefix/],
  ])('refuses %j clearly, never echoing the URL', (selection, message) => {
    let error: Error | undefined;
    try {
      validateEventStoreSelection(selection as never);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('secret');
  });
});
