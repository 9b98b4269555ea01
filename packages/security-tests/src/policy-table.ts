// The role × service table of docs/security.md, rendered from the policy tables so it cannot drift from them.
import { ROLES, rolesOf, type EndpointPolicy, type PolicyTable, type Role } from '@wor/service-kit';

export type NamedTable = Readonly<{ name: string; policies: PolicyTable }>;

const scopeOf = (policy: EndpointPolicy, role: Role): string =>
  policy.scope === 'none' || (policy.unscoped ?? []).includes(role) ? 'any' : `own ${policy.scope}`;

/** One cell: how many of the service's endpoints the role may call, and how they are scoped. */
const cell = (table: PolicyTable, role: Role): string => {
  const allowed = Object.values(table).filter((p) => rolesOf(p).includes(role));
  if (allowed.length === 0) return '—';
  const scopes = [...new Set(allowed.map((p) => scopeOf(p, role)))].sort();
  return `${allowed.length} (${scopes.join(', ')})`;
};

export const renderRoleTable = (tables: readonly NamedTable[]): string =>
  [
    `| role | ${tables.map((t) => `${t.name} (${Object.keys(t.policies).length})`).join(' | ')} |`,
    `| --- | ${tables.map(() => '---').join(' | ')} |`,
    ...ROLES.map((role) => `| \`${role}\` | ${tables.map((t) => cell(t.policies, role)).join(' | ')} |`),
  ].join('\n');
