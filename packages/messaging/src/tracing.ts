import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

export const TRACER_NAME = 'wor-messaging';

/** Reads W3C trace context (traceparent/tracestate) from string headers. */
export const headerGetter: TextMapGetter<Readonly<Record<string, string>>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

export const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};
