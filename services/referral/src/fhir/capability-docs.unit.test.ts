import { capabilityMarkdown, capabilityStatementOf, fhirSettingsFrom } from '@wor/service-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referralCapability, REFERRAL_FHIR_ROUTES } from './routes';

it("docs/fhir.md lists what the referral service's CapabilityStatement declares (supported and not)", () => {
  const cs = capabilityStatementOf(
    REFERRAL_FHIR_ROUTES,
    referralCapability(fhirSettingsFrom({}).canonicalBase),
    'https://example.org/fhir',
  );
  const table = capabilityMarkdown(cs);
  const docs = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'fhir.md'), 'utf8');
  if (!docs.includes(table)) console.log(`Put this in docs/fhir.md (referral service):\n\n${table}\n`);
  expect(docs.includes(table)).toBe(true);
});
