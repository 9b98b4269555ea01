import { capabilityMarkdown, capabilityStatementOf, fhirSettingsFrom } from '@wor/service-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consentCapability, CONSENT_FHIR_ROUTES } from './routes';

it("docs/fhir.md lists what the consent service's CapabilityStatement declares (supported and not)", () => {
  const cs = capabilityStatementOf(
    CONSENT_FHIR_ROUTES,
    consentCapability(fhirSettingsFrom({}).canonicalBase),
    'https://example.org/fhir',
  );
  const table = capabilityMarkdown(cs);
  const docs = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'fhir.md'), 'utf8');
  if (!docs.includes(table)) console.log(`Put this in docs/fhir.md (consent service):\n\n${table}\n`);
  expect(docs.includes(table)).toBe(true);
});
