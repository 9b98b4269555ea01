// Imported first by main.ts: the instrumentations must be in place before express, pg and kafkajs load.
import { startProcessTracing } from '@wor/service-kit/instrumentation';

startProcessTracing('reporting');
