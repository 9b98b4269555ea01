// Imported first by main.ts: the instrumentations must be in place before express and undici load.
import { startProcessTracing } from '@wor/service-kit/instrumentation';

startProcessTracing('web');
