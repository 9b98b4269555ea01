// W3C traceparent across hops that are not HTTP (Kafka headers, outbox relay rows).
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';

/** The active context as a traceparent string, or undefined when nothing is being traced. */
export const injectTraceparent = (): string | undefined => {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
};

/** Runs fn with the remote context of `traceparent` active (or the root context when absent/invalid). */
export const withExtractedContext = <T>(traceparent: string | undefined, fn: () => T): T => {
  const extracted = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
  return context.with(extracted, fn);
};
