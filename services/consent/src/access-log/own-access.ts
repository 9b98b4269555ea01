// This service's own accesses to personal data (reading the access log, subject-rights reports) go into
// the same chain, denied attempts included: whoever reads the log leaves a trace in it.
import { randomUUID } from 'node:crypto';
import { callerOf, hasRole, HttpProblem, type Caller, type Role, type ServiceDeps } from '@wor/service-kit';
import type { RequestHandler } from 'express';
import { appendEntryNow, chainKey } from './chain';

/** The reason in the denied-access log when a caller probes a real id it is no party to (the caller sees 404). */
export const NOT_A_PARTY = 'not a party';

type LogDeps = Pick<ServiceDeps, 'pool' | 'pseudonymSecret' | 'now'>;

export type OwnAccess = Readonly<{
  subjectId: string | null;
  action?: 'C' | 'R' | 'U' | 'D' | 'E';
  purpose: string;
  resource: { type: string; id: string };
  outcome?: 'allowed' | 'denied';
  reason?: string | null;
  dataCategories?: string[];
}>;

export const logOwnAccess = (deps: LogDeps, caller: Caller, now: Date, access: OwnAccess): Promise<void> =>
  appendEntryNow(deps.pool, chainKey(deps.pseudonymSecret), {
    entryId: randomUUID(),
    producer: 'consent',
    subjectId: access.subjectId,
    action: access.action ?? 'R',
    accessedAt: now.toISOString(),
    userId: caller.subject,
    onBehalfOf: null,
    role: caller.roles[0] ?? 'none',
    organisationId: caller.organisationId ?? null,
    purpose: access.purpose,
    dataCategories: access.dataCategories ?? [],
    resource: access.resource,
    outcome: access.outcome ?? 'allowed',
    checks: {
      authorisation: (access.outcome ?? 'allowed') === 'allowed',
      consent: false,
      agreement: false,
      emergencyAccess: false,
    },
    consentId: null,
    agreementId: null,
    reason: access.reason ?? null,
  });

/** Like requireRole, but a refusal is logged too (NEN 7513 wants denied attempts). */
export const requireRoleLogged =
  (deps: LogDeps, resourceType: string, ...roles: Role[]): RequestHandler =>
  async (_req, res, next) => {
    const caller = callerOf(res);
    if (hasRole(caller, ...roles)) return next();
    await logOwnAccess(deps, caller, deps.now(), {
      subjectId: null,
      purpose: 'privacy-oversight',
      resource: { type: resourceType, id: 'all' },
      outcome: 'denied',
      reason: `requires one of the roles ${roles.join(', ')}`,
    });
    next(
      new HttpProblem({ status: 403, title: 'Forbidden', detail: `This needs one of the roles: ${roles.join(', ')}.` }),
    );
  };
