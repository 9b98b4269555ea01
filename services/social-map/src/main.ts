// Entry point of the social-map service as its own process.
import './instrumentation';
import { runServiceProcess } from '@wor/service-kit';
import { createSocialMapService } from './service';

void runServiceProcess({
  name: 'social-map',
  defaultPort: 3003,
  defaultSchema: 'social_map',
  factory: createSocialMapService,
});
