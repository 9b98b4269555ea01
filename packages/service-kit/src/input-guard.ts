// Input no request can crash a service with, checked once for every route (createApp), before any
// handler or SQL sees it: PostgreSQL refuses NUL in text and jsonb, and a lone surrogate is not
// UTF-8 at all. Free text keeps tab, line feed and carriage return; every other control character,
// NUL included, and every unpaired surrogate is refused with 422 naming the field. Every string also
// has a maximum length here, so no schema can forget one. Bodies must be UTF-8 (400 otherwise) and
// say no other charset (415). Token claims are checked where the caller is authenticated (401).
import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpProblem } from './problem';
import type { ValidationError } from './validate';

/** C0 controls except \t \n \r, DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/** In a `u` regex a surrogate range matches only surrogates that are not part of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export type InputLimits = Readonly<{
  /** Any string in a body (schemas set tighter ones: e-mail 254, names 100 ...). */
  bodyString: number;
  /** Any query value. */
  queryValue: number;
  /** Any path segment. */
  pathSegment: number;
  /** Any token claim a service reads (subject, organisation, municipality, roles). */
  claim: number;
}>;

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  bodyString: 10_000,
  queryValue: 1_000,
  pathSegment: 200,
  claim: 256,
};

/** Why a string may not reach a handler, or undefined when it may. */
export const unsafeStringReason = (value: string, maxLength: number): string | undefined => {
  if (CONTROL.test(value)) return 'must not contain NUL or other control characters';
  if (LONE_SURROGATE.test(value)) return 'must not contain unpaired surrogates (not UTF-8)';
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  return undefined;
};

const join = (prefix: string, key: string | number): string =>
  typeof key === 'number' ? `${prefix}[${key}]` : prefix === '' ? key : `${prefix}.${key}`;

/** Every unsafe string (and object key) in a parsed JSON value, with its path like zod's. */
export const unsafeStrings = (value: unknown, maxLength: number, path = ''): ValidationError[] => {
  if (typeof value === 'string') {
    const reason = unsafeStringReason(value, maxLength);
    return reason ? [{ path, message: reason }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => unsafeStrings(item, maxLength, join(path, i)));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([key, item]) => {
      const keyReason = unsafeStringReason(key, 200);
      return [
        ...(keyReason ? [{ path: join(path, key), message: `the field name ${keyReason}` }] : []),
        ...unsafeStrings(item, maxLength, join(path, key)),
      ];
    });
  return [];
};

const refuse = (detail: string, errors: ValidationError[]): HttpProblem =>
  new HttpProblem({ status: 422, title: 'Unprocessable Content', detail, extra: { errors: errors.slice(0, 20) } });

const charsetOf = (contentType: string | undefined): string | undefined =>
  /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();

/** 415 for a body in any charset but UTF-8 (before the body is read). */
export const requireUtf8Charset: RequestHandler = (req, _res, next) => {
  const charset = charsetOf(req.headers['content-type']);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw new HttpProblem({
      status: 415,
      title: 'Unsupported Media Type',
      detail: 'The request body must be UTF-8 (charset=utf-8 or no charset).',
    });
  next();
};

/** Deeper than any document the services take (a FHIR Bundle's extensions reach about 12). */
export const MAX_JSON_DEPTH = 64;

/** How deeply a JSON text nests its arrays and objects (brackets inside strings do not count). */
export const jsonDepth = (body: Buffer): number => {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return deepest;
};

/**
 * express.json's `verify`, on the raw bytes before they are parsed: refuses bytes that are not UTF-8
 * instead of decoding them to U+FFFD, and nesting deeper than MAX_JSON_DEPTH, which would overflow the
 * stack of every recursive walk after the parse (this guard's, zod's, JSON.stringify's).
 */
export const verifyJsonBody = (_req: unknown, _res: unknown, body: Buffer): void => {
  if (!isUtf8(body))
    throw new HttpProblem({ status: 400, title: 'Bad Request', detail: 'The request body is not valid UTF-8.' });
  if (jsonDepth(body) > MAX_JSON_DEPTH)
    throw new HttpProblem({
      status: 400,
      title: 'Bad Request',
      detail: `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`,
    });
};

type PathPattern = Readonly<{ regex: RegExp; names: readonly string[] }>;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/referrals/:referralId/coach` → a regex with one capture per parameter, to name the bad one. */
export const pathPattern = (path: string): PathPattern => {
  const names: string[] = [];
  const body = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return escape(segment);
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${body.replace(/\/$/, '')}/?$`, 'i'), names };
};

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** The path's parameters by name (from the first matching route), else its segments by position. */
const pathValues = (path: string, patterns: readonly PathPattern[]): [string, string][] => {
  for (const { regex, names } of patterns) {
    const match = regex.exec(path);
    if (match && names.length > 0) return names.map((name, i) => [name, match[i + 1]!]);
  }
  return path
    .split('/')
    .filter(Boolean)
    .map((segment, i) => [`path[${i}]`, segment]);
};

/**
 * Checks the path parameters, query values and parsed body of every request that reaches the routes.
 * `routePaths` are the registered route patterns, so a refusal names the parameter as the route does.
 */
export const guardInput = (
  routePaths: readonly string[],
  defaults: InputLimits = DEFAULT_INPUT_LIMITS,
  /** Wider limits for named routes, `METHOD /path/:param` (e.g. a CSV import's file contents). */
  byRoute: Readonly<Record<string, Partial<InputLimits>>> = {},
): RequestHandler => {
  const patterns = [...new Set(routePaths)].map(pathPattern).sort((a, b) => a.names.length - b.names.length);
  const overrides = Object.entries(byRoute).map(([key, limits]) => {
    const [method, path] = key.split(' ') as [string, string];
    return { method: method.toUpperCase(), regex: pathPattern(path).regex, limits };
  });
  return (req: Request, _res: Response, next: NextFunction) => {
    const override = overrides.find((o) => o.method === req.method && o.regex.test(req.path));
    const limits = override ? { ...defaults, ...override.limits } : defaults;
    const params = pathValues(req.path, patterns).flatMap(([name, raw]): ValidationError[] => {
      const value = decodeSegment(raw);
      if (value === undefined) return [{ path: name, message: 'is not valid percent-encoded UTF-8' }];
      const reason = unsafeStringReason(value, limits.pathSegment);
      return reason ? [{ path: name, message: reason }] : [];
    });
    if (params.length > 0) throw refuse('The path parameters are invalid.', params);
    const query = unsafeStrings(req.query, limits.queryValue);
    if (query.length > 0) throw refuse('The query parameters are invalid.', query);
    const body = unsafeStrings(req.body, limits.bodyString);
    if (body.length > 0) throw refuse('The request body is invalid.', body);
    next();
  };
};

/** The claims a service reads from a token; a bad one makes the token invalid (401), not the request. */
export const unsafeClaim = (
  caller: Readonly<{ subject: string; roles: readonly string[]; organisationId?: string; municipality?: string }>,
  maxLength = DEFAULT_INPUT_LIMITS.claim,
): string | undefined => {
  const claims: [string, string | undefined][] = [
    ['sub', caller.subject],
    ['org', caller.organisationId],
    ['municipality', caller.municipality],
    ...caller.roles.map((role): [string, string] => ['roles', role]),
  ];
  return claims.find(([, value]) => value !== undefined && unsafeStringReason(value, maxLength) !== undefined)?.[0];
};
