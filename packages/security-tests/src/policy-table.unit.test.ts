import { consentPolicies } from '@wor/consent-service';
import { referralPolicies } from '@wor/referral-service';
import { reportingPolicies } from '@wor/reporting-service';
import { socialMapPolicies } from '@wor/social-map-service';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRoleTable } from './policy-table';

const tables = [
  { name: 'referral', policies: referralPolicies },
  { name: 'consent', policies: consentPolicies },
  { name: 'social-map', policies: socialMapPolicies },
  { name: 'reporting', policies: reportingPolicies },
];

it('docs/security.md shows the role × service table as the policy tables have it', () => {
  const table = renderRoleTable(tables);
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'security.md'), 'utf8');
  if (!readme.includes(table))
    console.log(`Put this table in docs/security.md (Roles, scopes and policies):\n\n${table}\n`);
  expect(readme.includes(table)).toBe(true);
});
