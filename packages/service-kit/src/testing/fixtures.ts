// Shared by this package's tests only (excluded from the build).
import type { Express, Router } from 'express';
import { createApp, type AppOptions } from '../app';
import { createDevIssuer, type DevIssuer } from '../dev-issuer';
import { createLogger, type Logger } from '../logger';

export type CapturedLogs = { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string };

export const captureLogs = (level = 'debug'): CapturedLogs => {
  const chunks: string[] = [];
  const logger = createLogger('test-service', { level, destination: { write: (chunk: string) => chunks.push(chunk) } });
  return {
    logger,
    text: () => chunks.join(''),
    lines: () =>
      chunks.flatMap((c) =>
        c
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      ),
  };
};

/** The test issuer's key is derived from this, so a second issuer built from it agrees. */
export const TEST_SECRET = 'test-secret-for-service-kit-tests-0123456789';

export type TestApp = CapturedLogs & { app: Express; issuer: DevIssuer; token: (roles?: string[]) => Promise<string> };

export const testApp = (routes: (router: Router) => void, overrides: Partial<AppOptions> = {}): TestApp => {
  const logs = captureLogs();
  const issuer = createDevIssuer({ secret: TEST_SECRET });
  const app = createApp({
    serviceName: 'test-service',
    logger: logs.logger,
    routes,
    authenticate: issuer.authenticate,
    readiness: async () => ({ db: true }),
    ...overrides,
  });
  const token = (roles: string[] = ['coach']) =>
    issuer.sign({ sub: 'user-1', roles: roles as never, org: 'org-1', municipality: 'GM0363' });
  return { ...logs, app, issuer, token };
};
