// Delivery to the subscribers' endpoints (rest-hook): one queue per subscription, so a failing or slow
// endpoint never holds up another. Per queue, in order: the handshake until it succeeds, then each
// queued event-notification (at least once: a notification is done only when the endpoint answered
// 2xx), then a heartbeat when nothing was sent for heartbeatPeriod. After a failure the queue waits
// base × 2^(failures−1), at most the cap, and tries again: it never gives up while the subscription is
// not off. Every attempt is a row in fhir_subscription_attempt; the first failure puts the subscription
// in `error`, the next success back in `active` (events of its stream). A queue is claimed (FOR UPDATE
// SKIP LOCKED, with a lease) before it is worked, so several instances never work one queue at once.
// Endpoints are checked when connecting (endpoint-policy.ts): a refused one is a failed attempt.
import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { handleCommand, type EventStore } from '@wor/event-store';
import type { Logger } from '@wor/service-kit';
import type { SubjectKeyStore } from '@wor/privacy';
import type { Pool } from 'pg';
import { openHeaders } from './headers';
import { EndpointRefused, guardedLookup, literalRefusal, type EndpointPolicy } from './endpoint-policy';
import { notificationBundle, type NotificationEvent, type NotificationType } from './resources';
import { subscriptionDecider, subscriptionStreamOf, type SubscriptionRequest } from './subscription';

export type DeliveryOptions = Readonly<{
  pool: Pool;
  store: EventStore;
  logger: Logger;
  now: () => Date;
  canonicalBase: string;
  /** After each lifecycle event: makes it visible to the queue's next read (the projector's catchUp). */
  catchUp: () => Promise<void>;
  tickMs: number;
  backoff: { baseMs: number; capMs: number };
  timeoutMs?: number;
  /** Notifications per Bundle (the oldest pending first). */
  maxEvents?: number;
  /** Which endpoints may be sent to (SSRF). */
  endpoints: EndpointPolicy;
  /** Opens the sealed channel.header lines (headers.ts). */
  keys: Pick<SubjectKeyStore, 'decrypt'>;
}>;

type Due = {
  subscription_id: string;
  status: 'requested' | 'active' | 'error';
  handshake_done: boolean;
  request: SubscriptionRequest;
  events_since_start: string;
  failures: number;
  last_sent_at: Date | null;
};

export const createDelivery = (options: DeliveryOptions) => {
  const { pool, store, logger, now } = options;
  const maxEvents = options.maxEvents ?? 20;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // A claimed queue is another instance's again after this (a crash mid-attempt delays it by as much).
  const leaseMs = timeoutMs + 20_000;
  const inFlight = new Map<string, Promise<void>>();
  const aborter = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;

  const lookup = guardedLookup(options.endpoints);
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  /** One POST; the status code. Redirects are not followed (a 3xx is a failure). */
  const send = async (endpoint: URL, headers: Record<string, string>, body: string): Promise<number> => {
    // A name is checked by `lookup` as it connects; an IP address is never looked up, so it is checked here.
    const refusal = literalRefusal(endpoint, options.endpoints);
    if (refusal) throw new EndpointRefused(refusal);
    const https = endpoint.protocol === 'https:';
    return new Promise((done, fail) => {
      const request = (https ? httpsRequest : httpRequest)(
        endpoint,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          agent: https ? agents.https : agents.http,
          lookup,
          signal: AbortSignal.any([aborter.signal, AbortSignal.timeout(timeoutMs)]),
        },
        (response) => {
          response.on('error', fail).on('end', () => done(response.statusCode ?? 0));
          response.resume();
        },
      );
      request.on('error', fail).end(body);
    });
  };

  const post = async (sub: Due, body: unknown): Promise<{ status: number | null; error: string | null }> => {
    const headers: Record<string, string> = { 'content-type': 'application/fhir+json' };
    try {
      for (const line of await openHeaders(options.keys, sub.request)) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      const status = await send(new URL(sub.request.endpoint), headers, JSON.stringify(body));
      return { status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` };
    } catch (error) {
      return {
        status: null,
        error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'error',
      };
    }
  };

  const lifecycle = async (id: string, outcome: { error: string | null }) => {
    const at = now().toISOString();
    const { newEvents } = await handleCommand(
      store,
      subscriptionStreamOf(id),
      subscriptionDecider,
      outcome.error
        ? { type: 'RecordFailed', data: { error: outcome.error, at } }
        : { type: 'RecordDelivered', data: { at } },
    );
    if (newEvents.length) await options.catchUp();
  };

  /** One attempt: sends, records it, moves the queue on. Resolves whether it was delivered. */
  const attempt = async (sub: Due, type: NotificationType, events: NotificationEvent[]): Promise<boolean> => {
    const bundleId = randomUUID();
    const eventsSinceStart =
      type === 'event-notification' ? events.at(-1)!.eventNumber : Number(sub.events_since_start);
    const body = notificationBundle({
      bundleId,
      at: now(),
      fhirBase: sub.request.fhirBase,
      canonicalBase: options.canonicalBase,
      subscriptionId: sub.subscription_id,
      // The status once this arrives: a handshake is sent while requested; any later delivery makes it active.
      status: type === 'handshake' ? 'requested' : 'active',
      type,
      eventsSinceStart,
      events,
    });
    const result = await post(sub, body);
    // Stopped mid-request: not the endpoint's failure; the notification stays queued for the next start.
    if (aborter.signal.aborted) {
      await release(sub);
      return false;
    }
    const at = now();
    await pool.query(
      `INSERT INTO fhir_subscription_attempt (subscription_id, kind, event_numbers, attempted_at, http_status, error)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [sub.subscription_id, type, events.map((e) => e.eventNumber), at, result.status, result.error],
    );
    // Requested → active after the handshake, error ⇄ active: events of the subscription's stream, projected
    // before the queue is due again (so the next claim sees the handshake done).
    if (result.error ? sub.status !== 'error' : sub.status !== 'active') await lifecycle(sub.subscription_id, result);
    if (result.error) {
      const wait = Math.min(options.backoff.capMs, options.backoff.baseMs * 2 ** sub.failures);
      await pool.query(
        `UPDATE fhir_subscription SET failures = failures + 1, next_attempt_at = $2 WHERE subscription_id = $1`,
        [sub.subscription_id, new Date(at.getTime() + wait)],
      );
      logger.warn(
        { subscriptionId: sub.subscription_id, type, error: result.error },
        'subscription notification failed',
      );
    } else {
      // Delivered first, then due again: the next claim does not find these pending.
      if (events.length)
        await pool.query(
          `UPDATE fhir_subscription_notification SET delivered_at = $3
           WHERE subscription_id = $1 AND event_number = ANY($2)`,
          [sub.subscription_id, events.map((e) => e.eventNumber), at],
        );
      await pool.query(
        `UPDATE fhir_subscription SET failures = 0, next_attempt_at = $2, last_sent_at = $2 WHERE subscription_id = $1`,
        [sub.subscription_id, at],
      );
    }
    return result.error === null;
  };

  /** Gives a claimed queue back without an attempt (nothing due after all, or stopped). */
  const release = (sub: Due) =>
    pool.query('UPDATE fhir_subscription SET next_attempt_at = $2 WHERE subscription_id = $1', [
      sub.subscription_id,
      now(),
    ]);

  /** The queue's next step; every path ends with next_attempt_at set (by the attempt, or released). */
  const work = async (sub: Due): Promise<void> => {
    if (sub.request.end && Date.parse(sub.request.end) <= now().getTime()) {
      // Subscription.end has passed: it turns itself off.
      await handleCommand(store, subscriptionStreamOf(sub.subscription_id), subscriptionDecider, {
        type: 'TurnOff',
        data: { at: now().toISOString() },
      });
      await options.catchUp();
      return void (await release(sub));
    }
    if (!sub.handshake_done) {
      await attempt(sub, 'handshake', []);
      return; // The next tick reads the subscription again (now active, or waiting).
    }
    const { rows } = await pool.query<{
      event_number: string;
      referral_id: string;
      event_type: string;
      occurred_at: Date;
    }>(
      `SELECT event_number, referral_id, event_type, occurred_at FROM fhir_subscription_notification
       WHERE subscription_id = $1 AND delivered_at IS NULL ORDER BY event_number LIMIT $2`,
      [sub.subscription_id, maxEvents],
    );
    if (rows.length) {
      await attempt(
        sub,
        'event-notification',
        rows.map((r) => ({
          eventNumber: Number(r.event_number),
          referralId: r.referral_id,
          occurredAt: r.occurred_at.toISOString(),
          created: r.event_type === 'ReferralRequested',
        })),
      );
      return;
    }
    const period = sub.request.heartbeatSeconds;
    if (
      period &&
      sub.status === 'active' &&
      (!sub.last_sent_at || now().getTime() - sub.last_sent_at.getTime() >= period * 1000)
    )
      await attempt(sub, 'heartbeat', []);
    else await release(sub);
  };

  const tick = async (): Promise<void> => {
    // Claims the due queues (not off, not backing off, with a handshake, notifications or a heartbeat to
    // send) for the lease: with several instances each queue is worked by one at a time.
    const at = now();
    const { rows } = await pool.query<Due>(
      `UPDATE fhir_subscription s SET next_attempt_at = $2
       FROM (SELECT c.subscription_id FROM fhir_subscription c
             WHERE c.status <> 'off' AND c.next_attempt_at <= $1 AND (
               NOT c.handshake_done
               OR (c.request->>'end')::timestamptz <= $1
               OR EXISTS (SELECT 1 FROM fhir_subscription_notification n
                          WHERE n.subscription_id = c.subscription_id AND n.delivered_at IS NULL)
               OR (c.status = 'active' AND c.request->>'heartbeatSeconds' IS NOT NULL AND (c.last_sent_at IS NULL OR
                   c.last_sent_at + make_interval(secs => (c.request->>'heartbeatSeconds')::int) <= $1)))
             ORDER BY c.next_attempt_at LIMIT 200 FOR UPDATE SKIP LOCKED) due
       WHERE s.subscription_id = due.subscription_id
       RETURNING s.subscription_id, s.status, s.handshake_done, s.request, s.events_since_start, s.failures,
         s.last_sent_at`,
      [at, new Date(at.getTime() + leaseMs)],
    );
    for (const sub of rows) {
      if (aborter.signal.aborted) {
        await release(sub);
        continue;
      }
      // Claimed again just as its last work ended (before it left the map): run after it.
      const running = (inFlight.get(sub.subscription_id) ?? Promise.resolve())
        .then(() => work(sub))
        .catch((error: unknown) =>
          logger.warn({ err: error, subscriptionId: sub.subscription_id }, 'subscription queue failed'),
        )
        .finally(() => inFlight.delete(sub.subscription_id));
      inFlight.set(sub.subscription_id, running);
    }
  };

  return {
    /** One pass over the due queues, waiting for their work (for tests). */
    async runOnce(): Promise<void> {
      await tick();
      await Promise.all(inFlight.values());
    },
    start(): void {
      timer = setInterval(() => {
        ticking ??= tick()
          .catch((error: unknown) => logger.warn({ err: error }, 'subscription delivery failed'))
          .finally(() => (ticking = undefined));
      }, options.tickMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      aborter.abort();
      await ticking;
      await Promise.all(inFlight.values());
      agents.http.destroy();
      agents.https.destroy();
    },
  };
};
