// Calls to the services as the demo's users, with development tokens (one per user, reused).
import { createDevIssuer, type Role } from '@wor/service-kit';

export type Caller = Readonly<{
  sub: string;
  roles: Role[];
  org?: string;
  municipality?: string;
  municipalAccount?: boolean;
}>;

export type Reply = Readonly<{ status: number; body: Record<string, unknown> }>;

export const createCaller = () => {
  const issuer = createDevIssuer();
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (caller: Caller) => {
    const key = JSON.stringify(caller);
    if (!tokens.has(key)) tokens.set(key, issuer.sign(caller, '2h'));
    return tokens.get(key)!;
  };
  return async (
    caller: Caller,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: unknown,
    version?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${await tokenOf(caller)}`,
        'content-type': 'application/json',
        ...(version === undefined ? {} : { 'if-match': `"${String(version)}"` }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
};

/** Fails the load with what the service answered. */
export const expectStatus = (what: string, reply: Reply, ...ok: number[]): Reply => {
  if (!ok.includes(reply.status)) throw new Error(`demo ${what}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply;
};

/**
 * Facts reach other services as events; until they arrive a call is refused (403/422). Retries
 * such a call for a while.
 */
export const untilAccepted = async (what: string, attempt: () => Promise<Reply>, ...ok: number[]): Promise<Reply> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const reply = await attempt();
    if (ok.includes(reply.status)) return reply;
    if (![403, 422].includes(reply.status) || Date.now() > deadline) return expectStatus(what, reply, ...ok);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
