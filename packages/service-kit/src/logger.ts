// pino with personal data redacted by key wherever it sits, and the active trace on every line.
import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values are (or may be) personal data or credentials. Matched at any depth up to MAX_DEPTH. */
export const PII_KEYS: readonly string[] = [
  'name',
  'firstName',
  'lastName',
  'givenName',
  'familyName',
  'fullName',
  'initials',
  'bsn',
  'birthDate',
  'dateOfBirth',
  'birth_date',
  'phone',
  'phoneNumber',
  'telephone',
  'mobile',
  'email',
  'emailAddress',
  'address',
  'street',
  'houseNumber',
  'postalCode',
  'postal_code',
  'zipCode',
  'patient',
  'person',
  'contact',
  'notes',
  'note',
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'token',
  'accessToken',
  'idToken',
];

// pino's redact wildcards match exactly one level, so each key is listed once per depth.
const MAX_DEPTH = 5;
const pathFor = (key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`);
export const redactPaths = (keys: readonly string[] = PII_KEYS): string[] =>
  keys.flatMap((key) =>
    Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => {
      const leaf = pathFor(key);
      if (depth === 0) return leaf;
      const prefix = Array.from({ length: depth }, () => '*').join('.');
      return leaf.startsWith('[') ? `${prefix}${leaf}` : `${prefix}.${leaf}`;
    }),
  );

/** Errors are logged by type, message, code and stack only: driver errors carry row values in other fields. */
export const safeErrorSerializer = (err: unknown): unknown => {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message: err.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: err.stack,
  };
};

export type LoggerOptions = {
  /** Defaults to LOG_LEVEL, else 'info'. */
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to capture output. */
  destination?: DestinationStream;
  /** Extra keys to redact besides PII_KEYS. */
  redactKeys?: readonly string[];
};

export const createLogger = (serviceName: string, options: LoggerOptions = {}): Logger => {
  const config: pino.LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    // Not pino's `name` option: `name` is a redacted key.
    base: { service: serviceName },
    redact: { paths: redactPaths([...PII_KEYS, ...(options.redactKeys ?? [])]), censor: '[redacted]' },
    serializers: { err: safeErrorSerializer, error: safeErrorSerializer },
    mixin: () => {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
};
