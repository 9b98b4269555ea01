// Endpoint policies: each service declares, in ONE table, which roles may call each endpoint and
// which claim scopes it. enforcePolicies runs before the routes and denies by default:
// - a request matching no policy is 404 (like an unknown path: a route registered without a policy
//   is unreachable, and its existence is not revealed);
// - a caller without one of the policy's roles is 403;
// - a caller of a scoped endpoint whose token lacks the scoping claim is 403.
// Object-level scoping (this referral belongs to that organisation) stays in the handlers; the
// security tests generate their authorisation matrix from these same tables.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type Caller, callerOf, hasRole, ROLES, type Role } from './auth';
import { HttpProblem } from './problem';
import { KIT_OPERATIONS } from './openapi';

/**
 * What the handler filters on, from the token: `organisation` (for gp-system and referrer that is
 * their practice), `municipality`, or `none` (the endpoint is not tied to a caller's organisation).
 */
export type PolicyScope = 'none' | 'organisation' | 'municipality';

export type EndpointPolicy = Readonly<{
  /** Roles that may call the endpoint; 'authenticated' is any valid token. */
  roles: readonly Role[] | 'authenticated';
  scope: PolicyScope;
  /** Roles that act across organisations or municipalities (their token need not carry the claim). */
  unscoped?: readonly Role[];
  /** Denials of this endpoint are themselves recorded (NEN 7513); the service's onDenied does it. */
  auditDenied?: string;
}>;

/** Keys are `METHOD /express/route/:pattern`, exactly as the route is registered. */
export type PolicyTable = Readonly<Record<string, EndpointPolicy>>;

export type PolicyMatch = Readonly<{ key: string; policy: EndpointPolicy; method: string; path: string }>;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles `/referrals/:referralId/accept` into an anchored regex (case-insensitive, optional trailing slash, like express). */
const compile = (path: string): RegExp => {
  const body = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : escape(segment)))
    .join('/');
  return new RegExp(`^${body === '' ? '' : body.replace(/\/$/, '')}/?$`, 'i');
};

export const parsePolicyKey = (key: string): { method: string; path: string } => {
  const match = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/.exec(key);
  if (!match) throw new Error(`Policy key "${key}" is not "METHOD /path".`);
  return { method: match[1]!, path: match[2]! };
};

export type PolicyMatcher = (method: string, path: string) => PolicyMatch | undefined;

/**
 * The policy of a request. Literal routes win over parameterised ones with the same shape
 * (`/services/stale` before `/services/:id`), the order express would not guarantee either.
 */
export const policyMatcher = (table: PolicyTable): PolicyMatcher => {
  const entries = Object.entries(table)
    .map(([key, policy]) => ({ key, policy, ...parsePolicyKey(key) }))
    .map((e) => ({ ...e, regex: compile(e.path), params: e.path.split('/').filter((s) => s.startsWith(':')).length }))
    .sort((a, b) => a.params - b.params);
  return (method, path) => {
    const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
    const found = entries.find((e) => e.method === m && e.regex.test(path));
    return found && { key: found.key, policy: found.policy, method: found.method, path: found.path };
  };
};

export const rolesOf = (policy: EndpointPolicy): readonly Role[] =>
  policy.roles === 'authenticated' ? ROLES : policy.roles;

export type PolicyDecision = Readonly<{ allowed: true } | { allowed: false; status: 403; detail: string }>;

/** The policy's verdict for one caller; pure, so the matrix test can predict every response. */
export const decidePolicy = (policy: EndpointPolicy, caller: Caller): PolicyDecision => {
  const roles = rolesOf(policy);
  if (!hasRole(caller, ...roles))
    return { allowed: false, status: 403, detail: `This needs one of the roles: ${roles.join(', ')}.` };
  if (policy.scope === 'none' || hasRole(caller, ...(policy.unscoped ?? []))) return { allowed: true };
  const claim = policy.scope === 'organisation' ? caller.organisationId : caller.municipality;
  if (!claim)
    return {
      allowed: false,
      status: 403,
      detail: `The token names no ${policy.scope}; this is scoped to the caller's ${policy.scope}.`,
    };
  return { allowed: true };
};

export type EnforceOptions = {
  /** Called before a 403 goes out for a policy with auditDenied (e.g. to write the access log). */
  onDenied?: (denial: { caller: Caller; match: PolicyMatch; detail: string; requestPath: string }) => Promise<void>;
};

export const POLICY_NOT_FOUND_DETAIL = 'No such resource.';

export const enforcePolicies = (table: PolicyTable, options: EnforceOptions = {}): RequestHandler => {
  const match = policyMatcher(table);
  return async (req: Request, res: Response, next: NextFunction) => {
    const found = match(req.method, req.path);
    // Deny by default: without a policy the route does not exist for anyone.
    if (!found) throw new HttpProblem({ status: 404, title: 'Not Found', detail: POLICY_NOT_FOUND_DETAIL });
    const caller = callerOf(res);
    const decision = decidePolicy(found.policy, caller);
    if (!decision.allowed) {
      if (found.policy.auditDenied && options.onDenied)
        await options.onDenied({ caller, match: found, detail: decision.detail, requestPath: req.path });
      throw new HttpProblem({ status: 403, title: 'Forbidden', detail: decision.detail });
    }
    next();
  };
};

export type RegisteredRoute = Readonly<{ method: string; path: string }>;

type Layer = { route?: { path: unknown; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/**
 * Every route registered on an express app or router (mounted at its root), as `METHOD path`:
 * tests compare it with the policy table so no route is unpoliced and no policy is stale.
 */
export const registeredRoutes = (appOrRouter: unknown): RegisteredRoute[] => {
  const target = appOrRouter as { router?: { stack?: Layer[] }; _router?: { stack?: Layer[] }; stack?: Layer[] };
  const stack = target.stack ?? target.router?.stack ?? target._router?.stack ?? [];
  return stack.flatMap((layer): RegisteredRoute[] => {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      return paths.flatMap((path) =>
        Object.entries(layer.route!.methods)
          .filter(([method, on]) => on && method !== '_all')
          .map(([method]) => ({ method: method.toUpperCase(), path: String(path) })),
      );
    }
    return layer.handle?.stack ? registeredRoutes(layer.handle) : [];
  });
};

/** Served by createApp before authentication (probes, the OpenAPI document, /docs, FHIR metadata); outside every policy table. */
export const INFRASTRUCTURE_ROUTES: readonly string[] = [
  ...KIT_OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`),
  'GET /fhir/metadata',
];

/** Route keys without a policy, and policies without a route: both must be empty. */
export const policyCoverage = (table: PolicyTable, routes: readonly RegisteredRoute[]) => {
  const registered = new Set(
    routes.map((r) => `${r.method} ${r.path}`).filter((key) => !INFRASTRUCTURE_ROUTES.includes(key)),
  );
  return {
    unpoliced: [...registered].filter((key) => !(key in table)),
    stale: Object.keys(table).filter((key) => !registered.has(key)),
  };
};
