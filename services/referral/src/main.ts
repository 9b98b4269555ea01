// Entry point of the referral service as its own process.
import './instrumentation';
import { runServiceProcess } from '@wor/service-kit';
import { createReferralService } from './service';

void runServiceProcess({
  name: 'referral',
  defaultPort: 3001,
  defaultSchema: 'referral',
  factory: createReferralService,
  holdsSubjectKeys: true,
});
