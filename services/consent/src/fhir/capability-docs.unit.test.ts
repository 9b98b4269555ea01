import { capabilityMarkdown, capabilityStatementOf, fhirSettingsFrom } from '@wor/service-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consentCapability, CONSENT_FHIR_ROUTES } from './routes';

it("the README and docs/fhir.md list what the consent service's CapabilityStatement declares (supported and not)", () => {
  const cs = capabilityStatementOf(
    CONSENT_FHIR_ROUTES,
    consentCapability(fhirSettingsFrom({}).canonicalBase),
    'https://example.org/fhir',
  );
  const table = capabilityMarkdown(cs);
  // The README's FHIR section and docs/fhir.md both show it as generated.
  for (const file of ['README.md', join('docs', 'fhir.md')]) {
    const docs = readFileSync(join(__dirname, '..', '..', '..', '..', file), 'utf8');
    if (!docs.includes(table)) console.log(`Put this in ${file} (consent service):\n\n${table}\n`);
    expect([file, docs.includes(table)]).toEqual([file, true]);
  }
});
