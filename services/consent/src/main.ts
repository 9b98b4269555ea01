// Entry point of the consent service as its own process.
import './instrumentation';
import { runServiceProcess } from '@wor/service-kit';
import { createConsentService } from './service';

void runServiceProcess({
  name: 'consent',
  defaultPort: 3002,
  defaultSchema: 'consent',
  factory: createConsentService,
  holdsSubjectKeys: true,
});
