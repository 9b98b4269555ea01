// The web application (packages/web) in front of the services, for `npm start`. The web package
// depends on the launcher for its browser tests, so the launcher loads it by name at run time
// instead of declaring a build dependency (that would be a cycle); `npm start` builds every workspace.
import type { ServiceUrls } from './services';

export type RunningWebApp = Readonly<{ url: string; stop: () => Promise<void> }>;
type WebModule = { startWeb: (options: { urls: ServiceUrls; port?: number; host?: string }) => Promise<RunningWebApp> };

export const startWebApp = async (
  urls: ServiceUrls,
  port = Number(process.env.WOR_WEB_PORT ?? 3000),
): Promise<RunningWebApp> => {
  const name = '@wor/web';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const web = require(name) as WebModule;
  return web.startWeb({ urls, port, host: process.env.HOST ?? '127.0.0.1' });
};
