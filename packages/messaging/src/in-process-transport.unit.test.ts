import { createInProcessTransport } from './in-process-transport';
import type { IncomingMessage, OutgoingMessage } from './transport';

const msg = (key: string, value: string, headers?: Record<string, string>): OutgoingMessage => ({
  key,
  value,
  headers,
});

describe('in-process transport', () => {
  it('delivers to every group, with key, value and headers, before publish resolves', async () => {
    const transport = createInProcessTransport();
    const a: IncomingMessage[] = [];
    const b: IncomingMessage[] = [];
    await transport.subscribe({ groupId: 'a', topics: ['t'], handle: async (m) => void a.push(m) });
    await transport.subscribe({
      groupId: 'b',
      topics: ['t', 'other'],
      handle: async (m) => {
        await new Promise((r) => setTimeout(r, 5));
        b.push(m);
      },
    });

    await transport.publish('t', [msg('k1', 'v1', { type: 'X' }), msg('k2', 'v2')]);

    expect(a.map((m) => m.value)).toEqual(['v1', 'v2']);
    expect(b.map((m) => m.value)).toEqual(['v1', 'v2']);
    expect(a[0]).toMatchObject({ topic: 't', key: 'k1', value: 'v1', headers: { type: 'X' } });
    expect(a[1]?.headers).toEqual({});
    await transport.close();
  });

  it('keeps per-key order across concurrent publishes and runs one key sequentially', async () => {
    const transport = createInProcessTransport();
    const seen = new Map<string, number[]>();
    const active = new Map<string, number>();
    await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      handle: async (m) => {
        const key = m.key ?? '';
        active.set(key, (active.get(key) ?? 0) + 1);
        expect(active.get(key)).toBe(1);
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        seen.set(key, [...(seen.get(key) ?? []), Number(m.value)]);
        active.set(key, (active.get(key) ?? 1) - 1);
      },
    });

    const keys = ['a', 'b', 'c', 'd', 'e'];
    const publishes: Promise<void>[] = [];
    for (let batch = 0; batch < 10; batch++) {
      publishes.push(
        transport.publish(
          't',
          keys.flatMap((k) => [msg(k, String(batch * 2)), msg(k, String(batch * 2 + 1))]),
        ),
      );
    }
    await Promise.all(publishes);

    for (const key of keys) expect(seen.get(key)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await transport.close();
  });

  it('retries a failing handle, then succeeds without publish noticing', async () => {
    const transport = createInProcessTransport({ retryBaseMs: 1 });
    let calls = 0;
    await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      handle: async () => {
        calls++;
        if (calls < 3) throw new Error('transient');
      },
    });
    await transport.publish('t', [msg('k', 'v')]);
    expect(calls).toBe(3);
    await transport.close();
  });

  it('rejects publish after bounded retries, and does not deliver later messages of that key out of order', async () => {
    const transport = createInProcessTransport({ retryBaseMs: 1, maxAttempts: 3 });
    const attempts: string[] = [];
    const ok: string[] = [];
    await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      handle: async (m) => {
        attempts.push(m.value);
        if (m.value === 'bad') throw new Error('permanent');
        ok.push(m.value);
      },
    });

    await expect(transport.publish('t', [msg('k', 'first'), msg('k', 'bad'), msg('k', 'after')])).rejects.toThrow(
      'permanent',
    );
    expect(attempts).toEqual(['first', 'bad', 'bad', 'bad']);
    expect(ok).toEqual(['first']);

    // The lane is not poisoned: the publisher's retry goes through once the handler recovers.
    await transport.publish('t', [msg('k', 'next')]);
    expect(ok).toEqual(['first', 'next']);
    await transport.close();
  });

  it('does not give a group messages published before it subscribed', async () => {
    const transport = createInProcessTransport();
    await transport.publish('t', [msg('k', 'early')]);
    const seen: string[] = [];
    await transport.subscribe({ groupId: 'late', topics: ['t'], handle: async (m) => void seen.push(m.value) });
    await transport.publish('t', [msg('k', 'late')]);
    expect(seen).toEqual(['late']);
    await transport.close();
  });

  it('stops delivering after stop, refuses a second subscriber of one group, and rejects after close', async () => {
    const transport = createInProcessTransport();
    const seen: string[] = [];
    const sub = await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      handle: async (m) => void seen.push(m.value),
    });
    await expect(transport.subscribe({ groupId: 'g', topics: ['t'], handle: async () => {} })).rejects.toThrow(
      /already/,
    );
    await sub.stop();
    await transport.publish('t', [msg('k', 'x')]);
    expect(seen).toEqual([]);
    expect(await transport.isReachable()).toBe(true);
    await transport.close();
    expect(await transport.isReachable()).toBe(false);
    await expect(transport.publish('t', [msg('k', 'y')])).rejects.toThrow(/closed/);
  });

  it('numbers offsets per partition', async () => {
    const transport = createInProcessTransport({ partitions: 1 });
    const offsets: string[] = [];
    await transport.subscribe({ groupId: 'g', topics: ['t'], handle: async (m) => void offsets.push(m.offset) });
    await transport.publish('t', [msg('a', '1'), msg('b', '2')]);
    await transport.publish('t', [msg('c', '3')]);
    expect(offsets).toEqual(['0', '1', '2']);
    await transport.close();
  });
});
