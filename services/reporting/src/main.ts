// Entry point of the reporting service as its own process.
import './instrumentation';
import { runServiceProcess } from '@wor/service-kit';
import { createReportingService } from './service';

void runServiceProcess({
  name: 'reporting',
  defaultPort: 3004,
  defaultSchema: 'reporting',
  factory: createReportingService,
});
