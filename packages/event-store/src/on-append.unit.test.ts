import type { EventStore } from './port';
import { onAppend } from './on-append';

const fakeStore = (fail = false): EventStore => ({
  append: async () => {
    if (fail) throw new Error('conflict');
    return { nextExpectedVersion: 0 };
  },
  readStream: async () => ({ events: [], currentVersion: -1 }),
  readAll: async (from) => ({ events: [], checkpoint: from }),
  close: async () => undefined,
});

describe('onAppend', () => {
  it('calls the listener after a successful append only, and keeps the other methods', async () => {
    const calls: string[] = [];
    const store = onAppend(fakeStore(), () => calls.push('appended'));
    await store.append('s-1', [{ type: 'A', data: {} }], { expectedVersion: 'any' });
    expect(calls).toEqual(['appended']);
    expect((await store.readAll('', 10)).checkpoint).toBe('');

    const failing = onAppend(fakeStore(true), () => calls.push('never'));
    await expect(failing.append('s-1', [], { expectedVersion: 'any' })).rejects.toThrow('conflict');
    expect(calls).toEqual(['appended']);
  });

  it('calls it after several streams are appended at once too (appendMany)', async () => {
    const calls: string[] = [];
    const store = onAppend(
      { ...fakeStore(), appendMany: async (appends) => appends.map(() => ({ nextExpectedVersion: 0 })) },
      () => calls.push('appended'),
    );
    await store.appendMany!([{ streamId: 's-1', events: [{ type: 'A', data: {} }], expectedVersion: 'no_stream' }]);
    expect(calls).toEqual(['appended']);
    expect(onAppend(fakeStore(), () => undefined).appendMany).toBeUndefined();
  });

  it('does not turn a committed append into an error when the listener throws', async () => {
    const store = onAppend(fakeStore(), () => {
      throw new Error('listener');
    });
    await expect(store.append('s-1', [], { expectedVersion: 'any' })).resolves.toEqual({ nextExpectedVersion: 0 });
  });
});
