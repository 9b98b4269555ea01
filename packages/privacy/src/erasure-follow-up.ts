// The erasure follow-up runs by itself: right after an erasure in this process, and on a timer for
// erasures elsewhere (another replica, a consumer's transaction) or a follow-up a crash interrupted.
// Each check is one row read; a rotation runs only when one is due, in one process at a time.
import type { KekRotation, SubjectKeyStore } from './subject-key-store';

type Log = Readonly<{
  info: (details: object, message: string) => void;
  error: (details: object, message: string) => void;
}>;

export type ErasureFollowUp = Readonly<{
  start: () => void;
  stop: () => Promise<void>;
  /** Runs the follow-up now, after the one in flight (if any); resolves when it is done. */
  runNow: () => Promise<KekRotation>;
  /** Runs it soon, without waiting; errors are logged and retried on the next tick. */
  runSoon: () => void;
}>;

/** How often each service checks whether a follow-up is due: the bound stated in docs/privacy.md. */
export const FOLLOW_UP_INTERVAL_MS = 10_000;

export const createErasureFollowUp = (options: {
  keys: SubjectKeyStore;
  log: Log;
  intervalMs?: number;
}): ErasureFollowUp => {
  const { keys, log } = options;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  const once = async (): Promise<KekRotation> => {
    const started = Date.now();
    const result = await keys.rotate();
    if (result.rotated)
      log.info(
        { rewrapped: result.rewrapped, kekId: result.kekId, ms: Date.now() - started },
        'erasure follow-up: subject keys re-wrapped with a new KEK, the old KEKs destroyed',
      );
    return result;
  };
  const runNow = (): Promise<KekRotation> => {
    const next = chain.then(once, once);
    chain = next.catch(() => undefined);
    return next;
  };
  const runSoon = () =>
    void runNow().catch((error: unknown) => log.error({ err: error }, 'erasure follow-up failed; retried shortly'));

  return {
    start: () => {
      timer ??= setInterval(async () => {
        try {
          if ((await keys.followUpStatus()).pending) runSoon();
        } catch (error) {
          log.error({ err: error }, 'erasure follow-up check failed');
        }
      }, options.intervalMs ?? FOLLOW_UP_INTERVAL_MS);
      timer.unref();
      runSoon();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      await chain;
    },
    runNow,
    runSoon,
  };
};
